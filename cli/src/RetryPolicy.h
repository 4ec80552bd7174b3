#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace maestro::cli {

using Millis = std::chrono::milliseconds;

// How hard the CLI tries to reach the server (docs/cli.md, "Retries and idempotency").
// Defaults survive a server restart; MAESTRO_RETRIES=0 turns retrying off.
struct RetrySettings {
    int retries = 10;             // MAESTRO_RETRIES: retries after the first attempt
    Millis baseDelay{200};        // MAESTRO_RETRY_DELAY: the first backoff ceiling
    Millis maxDelay{5000};        // no single wait is longer
    Millis deadline{30000};       // MAESTRO_RETRY_DEADLINE: the whole call, retries included
    Millis attemptTimeout{10000}; // MAESTRO_TIMEOUT: one connect / send / receive

    // Reads the variables above (integers, milliseconds). A malformed value is a usage error
    // (CliError 64), reported before any request. `lookup` stands in for std::getenv in tests.
    static RetrySettings
    fromEnvironment(const std::function<const char*(const char*)>& lookup = nullptr);
};

// 429 and the gateway errors mean "try again later"; every other status is an answer.
bool isRetryableStatus(int status) noexcept;

// Exponential backoff with full jitter: a uniform wait in [0, min(maxDelay, baseDelay·2^(n-1)))
// before retry n (n ≥ 1). `random01` is a draw from [0, 1).
Millis backoffDelay(const RetrySettings& settings, int retry, double random01) noexcept;

// A Retry-After header: delta-seconds or an HTTP-date. nullopt when it is neither.
std::optional<Millis> parseRetryAfter(std::string_view value,
                                      std::chrono::system_clock::time_point now);

// The clock, sleep and randomness a retry loop uses; tests replace them.
struct RetryClock {
    std::function<std::chrono::steady_clock::time_point()> now;
    std::function<void(Millis)> sleep;
    std::function<double()> random01;
    static RetryClock real();
};

// The bookkeeping of one call's attempts: how many were made, how long it has taken, and how
// long to wait before the next one.
class RetryLoop {
public:
    RetryLoop(const RetrySettings& settings, const RetryClock& clock);

    // Counts an attempt; returns the time it may take: the attempt timeout, cut to what is left
    // of the deadline (but at least 1 ms, so the attempt at the deadline is still made), or
    // nullopt when the retries are used up.
    std::optional<Millis> beginAttempt();

    // After a failed attempt: waits the backoff (raised to `retryAfter` when the server asked
    // for more, cut to end at the deadline) and returns true; returns false without waiting
    // when the retries are used up, the deadline has passed, or the server's Retry-After ends
    // past it.
    bool waitBeforeRetry(std::optional<Millis> retryAfter = std::nullopt);

    int attempts() const noexcept { return attempts_; }
    Millis elapsed() const;
    Millis remaining() const;

private:
    const RetrySettings& settings_;
    const RetryClock& clock_;
    std::chrono::steady_clock::time_point start_;
    int attempts_ = 0;
};

} // namespace maestro::cli
