#include "RetryPolicy.h"

#include "CliError.h"

#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>

namespace maestro::cli {

namespace {

std::optional<long long> parseCount(std::string_view text) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

// A non-negative integer variable, or `fallback` when it is unset or empty.
long long readVariable(const std::function<const char*(const char*)>& lookup, const char* name,
                       long long fallback, long long max) {
    const char* text = lookup(name);
    if (!text || !*text) return fallback;
    auto value = parseCount(text);
    if (!value || *value > max)
        throw CliError::usage(std::string(name) + " must be an integer from 0 to " +
                              std::to_string(max) + " (got '" + text + "')");
    return *value;
}

} // namespace

RetrySettings
RetrySettings::fromEnvironment(const std::function<const char*(const char*)>& lookup) {
    const auto get =
        lookup ? lookup : [](const char* name) -> const char* { return std::getenv(name); };
    constexpr long long kDay = 24LL * 3600 * 1000;
    RetrySettings settings;
    settings.retries =
        static_cast<int>(readVariable(get, "MAESTRO_RETRIES", settings.retries, 1000));
    settings.baseDelay =
        Millis(readVariable(get, "MAESTRO_RETRY_DELAY", settings.baseDelay.count(), kDay));
    settings.deadline =
        Millis(readVariable(get, "MAESTRO_RETRY_DEADLINE", settings.deadline.count(), kDay));
    settings.attemptTimeout =
        Millis(readVariable(get, "MAESTRO_TIMEOUT", settings.attemptTimeout.count(), kDay));
    if (settings.attemptTimeout.count() == 0)
        throw CliError::usage("MAESTRO_TIMEOUT must be at least 1 (milliseconds)");
    // A long first delay must not be cut short by the default ceiling.
    settings.maxDelay = std::max(settings.maxDelay, settings.baseDelay);
    return settings;
}

bool isRetryableStatus(int status) noexcept {
    return status == 429 || status == 502 || status == 503 || status == 504;
}

Millis backoffDelay(const RetrySettings& settings, int retry, double random01) noexcept {
    const double base = static_cast<double>(settings.baseDelay.count());
    const double exponent = std::min(std::max(retry - 1, 0), 30);
    const double ceiling = std::min(static_cast<double>(settings.maxDelay.count()),
                                    base * std::ldexp(1.0, static_cast<int>(exponent)));
    const double draw = std::clamp(random01, 0.0, 1.0);
    return Millis(static_cast<Millis::rep>(ceiling * draw));
}

std::optional<Millis> parseRetryAfter(std::string_view value,
                                      std::chrono::system_clock::time_point now) {
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string_view::npos) return std::nullopt;
    value = value.substr(first, value.find_last_not_of(" \t") - first + 1);
    if (auto seconds = parseCount(value)) return Millis(std::min(*seconds, 86400LL) * 1000);
    try {
        int tz = 0;
        Poco::DateTime date;
        if (!Poco::DateTimeParser::tryParse(std::string(value), date, tz)) return std::nullopt;
        auto when = std::chrono::system_clock::from_time_t(date.timestamp().epochTime());
        auto wait = std::chrono::duration_cast<Millis>(when - now);
        return std::max(wait, Millis(0));
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

RetryClock RetryClock::real() {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    return RetryClock{
        [] { return std::chrono::steady_clock::now(); },
        [](Millis wait) { std::this_thread::sleep_for(wait); },
        [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); },
    };
}

RetryLoop::RetryLoop(const RetrySettings& settings, const RetryClock& clock)
    : settings_(settings), clock_(clock), start_(clock.now()) {}

Millis RetryLoop::elapsed() const {
    return std::chrono::duration_cast<Millis>(clock_.now() - start_);
}

Millis RetryLoop::remaining() const {
    return settings_.deadline - elapsed();
}

std::optional<Millis> RetryLoop::beginAttempt() {
    // The first attempt always runs, and so does the one a wait brought to the deadline: its
    // timeout is the attempt timeout, not what is left, so it can still succeed.
    if (attempts_ > 0 && attempts_ > settings_.retries) return std::nullopt;
    ++attempts_;
    return std::max(std::min(remaining(), settings_.attemptTimeout), Millis(1));
}

bool RetryLoop::waitBeforeRetry(std::optional<Millis> retryAfter) {
    if (attempts_ > settings_.retries) return false;
    const Millis left = remaining();
    if (left.count() <= 0) return false;
    // A server that asks to be left alone past the deadline will not be ready in time.
    if (retryAfter && *retryAfter >= left) return false;
    Millis wait = backoffDelay(settings_, attempts_, clock_.random01());
    if (retryAfter) wait = std::max(wait, *retryAfter);
    // The last wait ends at the deadline, where one final attempt is made.
    clock_.sleep(std::min(wait, left));
    return true;
}

} // namespace maestro::cli
