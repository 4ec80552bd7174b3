#include "domain/Timeline.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "domain/JsonInput.h"

#include <algorithm>

namespace maestro::domain {

namespace {

constexpr std::size_t kMaxMessage = 16 * 1024;
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
    draft.message = body.requiredString("message", kMaxMessage);
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

void writeJson(json::Writer& out, const std::vector<TimelineEntry>& timeline) {
    out.beginArray();
    for (const auto& entry : timeline) {
        out.beginObject()
            .field("id", entry.id)
            .field("type", entry.type)
            .field("timestamp", entry.timestamp)
            .field("message", entry.message);
        if (entry.sessionId) out.field("sessionId", *entry.sessionId);
        out.endObject();
    }
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
