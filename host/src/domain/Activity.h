#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maestro::domain {

// What a session's agent is doing, apart from its lifecycle status (docs/sessions.md,
// "Activity").
enum class Activity { Starting, Working, Idle, NeedsInput, Stalled, Exited };

std::string_view toString(Activity activity) noexcept;
std::optional<Activity> parseActivity(std::string_view text) noexcept;

// Who said so, most trusted first: the agent itself (`maestro report`), its hooks, a person's
// input, the terminal screen and its output, the server (start, exit).
enum class ActivitySource { Report, Hook, Input, Screen, Server };

std::string_view toString(ActivitySource source) noexcept;
std::optional<ActivitySource> parseActivitySource(std::string_view text) noexcept;

struct ActivityState {
    Activity activity = Activity::Starting;
    std::int64_t since = 0; // Unix ms of the change to `activity`
    std::string reason;
    ActivitySource source = ActivitySource::Server;

    bool sameAs(const ActivityState& other) const noexcept {
        return activity == other.activity && reason == other.reason;
    }
};

} // namespace maestro::domain
