#include "domain/Timeline.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "domain/JsonInput.h"
#include "domain/Limits.h"

#include <algorithm>
#include <sstream>

namespace maestro::domain {

namespace {

std::string typeList() {
    std::string list;
    for (auto type : kTimelineTypes) {
        if (!list.empty()) list += ", ";
        list += type;
    }
    return list;
}

std::optional<std::string> optionalId(const JsonInput& body, std::string_view field) {
    auto value = body.optNullableString(field, 128);
    if (!value || !*value) return std::nullopt;
    if (!isValidId(**value)) throw ApiError::invalidField(field, "is not a valid id");
    return **value;
}

} // namespace

TimelineDraft parseTimelineDraft(const JsonInput& body, std::string_view defaultType) {
    TimelineDraft draft;
    draft.type = defaultType;
    if (auto type = body.optString("type", 32)) {
        if (std::find(std::begin(kTimelineTypes), std::end(kTimelineTypes), *type) ==
            std::end(kTimelineTypes))
            throw ApiError::invalidField("type", "must be one of " + typeList());
        draft.type = *type;
    }
    draft.message = body.requiredString("message", limits::kMaxTimelineMessage);
    draft.sessionId = optionalId(body, "sessionId");
    draft.taskId = optionalId(body, "taskId");
    draft.metadataJson = body.optObjectText("metadata");
    return draft;
}

void appendTimeline(std::vector<TimelineEntry>& timeline, TimelineDraft entry, std::int64_t now) {
    timeline.push_back({newId("evt"), std::move(entry.type), std::move(entry.message),
                        std::move(entry.sessionId), now, std::move(entry.taskId),
                        std::move(entry.metadataJson)});
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
    if (entry.taskId) out.field("taskId", *entry.taskId);
    if (entry.metadataJson) out.key("metadata").raw(*entry.metadataJson);
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
        if (object->has("taskId")) entry.taskId = object->getValue<std::string>("taskId");
        if (auto metadata = object->getObject("metadata")) {
            std::ostringstream text;
            metadata->stringify(text);
            entry.metadataJson = text.str();
        }
        timeline.push_back(std::move(entry));
    }
    return timeline;
}

} // namespace maestro::domain
