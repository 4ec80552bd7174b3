#pragma once

#include "domain/Session.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maestro::domain {

// One thing that needs a person (docs/api.md, "Attention"), derived from a session or a task.
// Its id names this occurrence — a session that asks again later is a new item — so that a
// dismissal hides only what the person saw.
struct AttentionItem {
    std::string id;
    std::string kind; // needs_input, stalled, failed, review, blocked
    std::string projectId;
    std::optional<std::string> sessionId;
    std::optional<std::string> taskId;
    std::int64_t since = 0;
    std::string summary;
};

// needs_input and stalled for a live session; failed for one that ended so, and review for
// one that ended with changes in its worktree waiting to merge (both, when both hold).
std::vector<AttentionItem> attentionOf(const Session& session);
// The blocked item of a blocked task; since is when it was blocked.
AttentionItem blockedItem(const std::string& taskId, const std::string& projectId,
                          const std::string& title, const std::optional<std::string>& reason,
                          std::int64_t since);

// Whether a session in this state is in the inbox, so that a change into or out of it is
// announced (attention:changed).
bool needsAttention(const Session& session);
// Whether a change from `before` to `after` adds, changes or clears an inbox item.
bool attentionMoved(const Session& before, const Session& after);
// A session that ended with its worktree's changes neither merged nor discarded.
bool awaitsReview(const Session& session);

void writeJson(json::Writer& out, const AttentionItem& item);

} // namespace maestro::domain
