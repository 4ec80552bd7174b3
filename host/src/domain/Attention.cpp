#include "domain/Attention.h"

namespace maestro::domain {

std::optional<AttentionItem> attentionOf(const Session& session) {
    AttentionItem item;
    item.projectId = session.projectId;
    item.sessionId = session.id;
    if (session.status == SessionStatus::Failed) {
        item.kind = "failed";
        item.id = "failed:" + session.id;
        item.since = session.completedAt.value_or(session.activity.since);
        item.summary = session.name + " failed: " + session.activity.reason;
        return item;
    }
    if (!isLive(session.status)) return std::nullopt;
    const auto& activity = session.activity;
    if (activity.activity != Activity::NeedsInput && activity.activity != Activity::Stalled)
        return std::nullopt;
    item.kind = toString(activity.activity);
    item.id = item.kind + ":" + session.id + ":" + std::to_string(activity.since);
    item.since = activity.since;
    item.summary = activity.reason.empty() ? session.name : activity.reason;
    return item;
}

std::optional<AttentionItem> attentionOf(const Task& task) {
    if (task.status != TaskStatus::Blocked) return std::nullopt;
    AttentionItem item;
    item.kind = "blocked";
    item.projectId = task.projectId;
    item.taskId = task.id;
    item.since = task.updatedAt;
    for (auto it = task.timeline.rbegin(); it != task.timeline.rend(); ++it)
        if (it->type == "blocker") {
            item.since = it->timestamp;
            break;
        }
    item.id = "blocked:" + task.id + ":" + std::to_string(item.since);
    item.summary = task.title;
    if (task.blockedReason && !task.blockedReason->empty())
        item.summary += ": " + *task.blockedReason;
    return item;
}

bool needsAttention(const Session& session) {
    return attentionOf(session).has_value();
}

void writeJson(json::Writer& out, const AttentionItem& item) {
    out.beginObject()
        .field("id", item.id)
        .field("kind", item.kind)
        .field("projectId", item.projectId)
        .field("sessionId", item.sessionId)
        .field("taskId", item.taskId)
        .field("since", item.since)
        .field("summary", item.summary)
        .endObject();
}

} // namespace maestro::domain
