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

// One entry of a task's or a session's history. type is one of kTimelineTypes. sessionId names
// the session that reported it, taskId the task it concerns (on a session's timeline);
// metadataJson is a client's free-form object, kept as given.
struct TimelineEntry {
    std::string id;
    std::string type;
    std::string message;
    std::optional<std::string> sessionId;
    std::int64_t timestamp = 0;
    std::optional<std::string> taskId = {};
    std::optional<std::string> metadataJson = {};
};

// Task timelines use the first seven; the rest are the session timeline types the original
// Maestro's agents post (POST /api/sessions/:id/timeline). Both timelines accept all of them,
// since a session's report on a task is noted on both.
inline constexpr std::string_view kTimelineTypes[] = {"created",        "session_started",
                                                      "session_ended",  "update",
                                                      "milestone",      "blocker",
                                                      "status_changed", "progress",
                                                      "task_started",   "task_completed",
                                                      "task_failed",    "task_skipped",
                                                      "task_blocked",   "task_status_changed",
                                                      "needs_input",    "error",
                                                      "session_stopped"};

// An entry a client asks to append.
struct TimelineDraft {
    std::string type = "update";
    std::string message;
    std::optional<std::string> sessionId;
    std::optional<std::string> taskId = {};
    std::optional<std::string> metadataJson = {};
};

// {type?, message, sessionId?, taskId?, metadata?}; defaultType when type is absent.
TimelineDraft parseTimelineDraft(const JsonInput& body, std::string_view defaultType = "update");
void appendTimeline(std::vector<TimelineEntry>& timeline, TimelineDraft entry, std::int64_t now);
// Where a task's inline timeline starts: the newest entries that fit
// limits::kInlineTimelineEntries and kInlineTimelineBytes (the newest one always does).
std::size_t inlineWindowStart(std::span<const TimelineEntry> timeline) noexcept;

void writeJson(json::Writer& out, const TimelineEntry& entry);
void writeJson(json::Writer& out, std::span<const TimelineEntry> timeline);
std::vector<TimelineEntry> timelineFromJson(const Poco::JSON::Array::Ptr& array);

} // namespace maestro::domain
