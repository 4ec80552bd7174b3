#include "domain/Activity.h"

#include <array>
#include <utility>

namespace maestro::domain {

namespace {

constexpr std::array kActivities{std::pair{Activity::Starting, std::string_view("starting")},
                                 std::pair{Activity::Working, std::string_view("working")},
                                 std::pair{Activity::Idle, std::string_view("idle")},
                                 std::pair{Activity::NeedsInput, std::string_view("needs_input")},
                                 std::pair{Activity::Stalled, std::string_view("stalled")},
                                 std::pair{Activity::Exited, std::string_view("exited")}};

constexpr std::array kSources{std::pair{ActivitySource::Report, std::string_view("report")},
                              std::pair{ActivitySource::Hook, std::string_view("hook")},
                              std::pair{ActivitySource::Input, std::string_view("input")},
                              std::pair{ActivitySource::Screen, std::string_view("screen")},
                              std::pair{ActivitySource::Server, std::string_view("server")}};

template <class Table, class Value> std::string_view nameOf(const Table& table, Value value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return table.front().second;
}

template <class Value, class Table>
std::optional<Value> valueOf(const Table& table, std::string_view text) {
    for (const auto& [v, name] : table)
        if (name == text) return v;
    return std::nullopt;
}

} // namespace

std::string_view toString(Activity activity) noexcept {
    return nameOf(kActivities, activity);
}

std::optional<Activity> parseActivity(std::string_view text) noexcept {
    return valueOf<Activity>(kActivities, text);
}

std::string_view toString(ActivitySource source) noexcept {
    return nameOf(kSources, source);
}

std::optional<ActivitySource> parseActivitySource(std::string_view text) noexcept {
    return valueOf<ActivitySource>(kSources, text);
}

} // namespace maestro::domain
