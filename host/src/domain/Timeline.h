#pragma once

#include "json/Writer.h"

#include <Poco/JSON/Array.h>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace maestro::domain {

class JsonInput;

// One entry of a task's or a session's history. type is one of created, session_started,
// session_ended, update, milestone, blocker (the original Maestro's set) or status_changed.
struct TimelineEntry {
    std::string id;
    std::string type;
    std::string message;
    std::optional<std::string> sessionId;
    std::int64_t timestamp = 0;
};

// An entry a client asks to append.
struct TimelineDraft {
    std::string type = "update";
    std::string message;
    std::optional<std::string> sessionId;
};

TimelineDraft parseTimelineDraft(const JsonInput& body);
void appendTimeline(std::vector<TimelineEntry>& timeline, TimelineDraft entry, std::int64_t now);
// Where a task's inline timeline starts: the newest entries that fit
// limits::kInlineTimelineEntries and kInlineTimelineBytes (the newest one always does).
std::size_t inlineWindowStart(std::span<const TimelineEntry> timeline) noexcept;

void writeJson(json::Writer& out, const TimelineEntry& entry);
void writeJson(json::Writer& out, std::span<const TimelineEntry> timeline);
std::vector<TimelineEntry> timelineFromJson(const Poco::JSON::Array::Ptr& array);

} // namespace maestro::domain
