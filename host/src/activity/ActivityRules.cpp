#include "activity/ActivityRules.h"

#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>
#include <stdexcept>

namespace maestro::host::activity {

using domain::Activity;
using domain::ActivitySource;
using domain::ActivityState;

namespace {

constexpr std::size_t kMaxReason = 200;

std::string trimmed(std::string text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
    if (text.size() > kMaxReason) text.resize(kMaxReason);
    return text;
}

std::string seconds(std::chrono::milliseconds span) {
    auto tenths = span.count() / 100;
    auto text = std::to_string(tenths / 10);
    if (tenths % 10) text += "." + std::to_string(tenths % 10);
    return text + " s";
}

} // namespace

const std::vector<std::string>& genericNeedsInputPatterns() {
    static const std::vector<std::string> patterns{
        R"((?i)[(\[]\s*y(es)?\s*/\s*no?\s*[)\]])", // (y/n) [Y/n] (yes/no) [y/N]
        R"((?i)do you want to (proceed|continue)\?)",
        R"((?i)press (enter|return|any key) to continue)",
        R"((?i)password( for [^:]*)?:\s*$)",
    };
    return patterns;
}

PromptMatcher::PromptMatcher(const std::vector<std::string>& patterns, int lines)
    : lines_(std::max(1, lines)) {
    for (const auto& pattern : patterns) {
        try {
            patterns_.push_back(std::make_unique<Poco::RegularExpression>(pattern));
        } catch (const Poco::Exception& e) {
            throw std::runtime_error("needsInputPatterns: '" + pattern +
                                     "' is not a regular expression: " + e.message());
        }
    }
}

PromptMatcher::~PromptMatcher() = default;
PromptMatcher::PromptMatcher(PromptMatcher&&) noexcept = default;
PromptMatcher& PromptMatcher::operator=(PromptMatcher&&) noexcept = default;

std::optional<std::string> PromptMatcher::match(const Screen& screen) const {
    if (patterns_.empty()) return std::nullopt;
    // The window ends at the cursor's row, or below it at the last row with text: an agent that
    // parks its (hidden) cursor above what it drew is judged by what it drew.
    auto end = screen.cursorRow();
    for (int row = screen.rows() - 1; row > end; --row)
        if (!screen.line(row).empty()) {
            end = row;
            break;
        }
    for (int row = std::max(0, end - lines_ + 1); row <= end; ++row) {
        auto text = screen.line(row);
        if (text.empty()) continue;
        for (const auto& pattern : patterns_) {
            // Anywhere in the line (the bool overloads anchor at its start). A pattern that
            // gives up (PCRE's match limit) matches nothing rather than stopping the monitor.
            Poco::RegularExpression::Match found{};
            try {
                if (pattern->match(text, 0, found) > 0) return trimmed(std::move(text));
            } catch (const Poco::Exception&) {
            }
        }
    }
    return std::nullopt;
}

ActivityState decide(const Observation& seen, const ActivityRules& rules) {
    if (seen.held) return *seen.held;
    if (seen.prompt) return {Activity::NeedsInput, 0, *seen.prompt, ActivitySource::Screen};
    if (!seen.anyOutput) {
        if (seen.sinceStart >= rules.startTimeout)
            return {Activity::Stalled, 0, "no output within " + seconds(rules.startTimeout),
                    ActivitySource::Screen};
        return {Activity::Starting, 0, "", ActivitySource::Server};
    }
    if (seen.sinceSign < rules.idleAfter) return {Activity::Working, 0, "", ActivitySource::Screen};
    return {Activity::Idle, 0, "no output for " + seconds(rules.idleAfter), ActivitySource::Screen};
}

} // namespace maestro::host::activity
