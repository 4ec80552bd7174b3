#include "domain/Timeline.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "domain/JsonInput.h"
#include "domain/Limits.h"

#include <algorithm>

namespace maestro::domain {

namespace {

constexpr std::string_view kTypes[] = {"created",   "session_started", "session_ended", "update",
                                       "milestone", "blocker",         "status_changed"};

} // namespace

TimelineDraft parseTimelineDraft(const JsonInput& body) {
    TimelineDraft draft;
    if (auto type = body.optString("type", 32)) {
        if (std::find(std::begin(kTypes), std::end(kTypes), *type) == std::end(kTypes))
            throw ApiError::invalidField("type", "must be one of created, session_started, "
                                                 "session_ended, update, milestone, blocker");
        draft.type = *type;
    }
    draft.message = body.requiredString("message", limits::kMaxTimelineMessage);
    if (auto session = body.optNullableString("sessionId", 128); session && *session) {
        if (!isValidId(**session)) throw ApiError::invalidField("sessionId", "is not a valid id");
        draft.sessionId = **session;
    }
    return draft;
}

void appendTimeline(std::vector<TimelineEntry>& timeline, TimelineDraft entry, std::int64_t now) {
    timeline.push_back({newId("evt"), std::move(entry.type), std::move(entry.message),
                        std::move(entry.sessionId), now});
}

std::size_t inlineWindowStart(std::span<const TimelineEntry> timeline) noexcept {
    std::size_t kept = 0, bytes = 0;
    for (auto it = timeline.rbegin(); it != timeline.rend(); ++it, ++kept) {
        bytes += it->message.size();
        if (kept > 0 &&
            (kept == limits::kInlineTimelineEntries || bytes > limits::kInlineTimelineBytes))
            break;
    }
    return timeline.size() - kept;
}

void writeJson(json::Writer& out, const TimelineEntry& entry) {
    out.beginObject()
        .field("id", entry.id)
        .field("type", entry.type)
        .field("timestamp", entry.timestamp)
        .field("message", entry.message);
    if (entry.sessionId) out.field("sessionId", *entry.sessionId);
    out.endObject();
}

void writeJson(json::Writer& out, std::span<const TimelineEntry> timeline) {
    out.beginArray();
    for (const auto& entry : timeline)
        writeJson(out, entry);
    out.endArray();
}

std::vector<TimelineEntry> timelineFromJson(const Poco::JSON::Array::Ptr& array) {
    std::vector<TimelineEntry> timeline;
    for (std::size_t i = 0; array && i < array->size(); ++i) {
        auto object = array->getObject(static_cast<unsigned>(i));
        TimelineEntry entry;
        entry.id = object->getValue<std::string>("id");
        entry.type = object->getValue<std::string>("type");
        entry.timestamp = object->getValue<std::int64_t>("timestamp");
        entry.message = object->optValue<std::string>("message", "");
        if (object->has("sessionId")) entry.sessionId = object->getValue<std::string>("sessionId");
        timeline.push_back(std::move(entry));
    }
    return timeline;
}

} // namespace maestro::domain
