#include "domain/Attention.h"

namespace maestro::domain {

bool awaitsReview(const Session& session) {
    return isEnded(session.status) && session.worktree &&
           session.worktree->state == WorktreeState::Active &&
           session.worktree->changedFiles.value_or(0) > 0;
}

std::vector<AttentionItem> attentionOf(const Session& session) {
    std::vector<AttentionItem> items;
    auto add = [&](std::string kind, std::string id, std::int64_t since, std::string summary) {
        items.push_back({std::move(id), std::move(kind), session.projectId, session.id,
                         std::nullopt, since, std::move(summary)});
    };
    auto ended = session.completedAt.value_or(session.activity.since);
    if (session.status == SessionStatus::Failed)
        add("failed", "failed:" + session.id, ended,
            session.name + " failed: " + session.activity.reason);
    if (awaitsReview(session)) {
        auto files = *session.worktree->changedFiles;
        add("review", "review:" + session.id, ended,
            session.name + ": " + std::to_string(files) + (files == 1 ? " file" : " files") +
                " changed on " + session.worktree->branch + ", waiting to merge");
    }
    const auto& activity = session.activity;
    if (isLive(session.status) &&
        (activity.activity == Activity::NeedsInput || activity.activity == Activity::Stalled)) {
        auto kind = std::string(toString(activity.activity));
        add(kind, kind + ":" + session.id + ":" + std::to_string(activity.since), activity.since,
            activity.reason.empty() ? session.name : activity.reason);
    }
    return items;
}

AttentionItem blockedItem(const std::string& taskId, const std::string& projectId,
                          const std::string& title, const std::optional<std::string>& reason,
                          std::int64_t since) {
    AttentionItem item{"blocked:" + taskId + ":" + std::to_string(since),
                       "blocked",
                       projectId,
                       std::nullopt,
                       taskId,
                       since,
                       title};
    if (reason && !reason->empty()) item.summary += ": " + *reason;
    return item;
}

bool needsAttention(const Session& session) {
    return !attentionOf(session).empty();
}

bool attentionMoved(const Session& before, const Session& after) {
    auto ids = [](const Session& session) {
        std::vector<std::string> out;
        for (auto& item : attentionOf(session))
            out.push_back(std::move(item.id));
        return out;
    };
    return ids(before) != ids(after);
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
