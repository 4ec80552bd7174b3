#pragma once

#include "domain/Attention.h"
#include "service/EventRecorder.h"
#include "store/Database.h"

#include <optional>
#include <string>
#include <vector>

namespace maestro::host::service {

// The attention inbox (docs/api.md, "Attention"): what needs a person, derived from the
// sessions (needs_input, stalled, failed) and the tasks (blocked) whenever it is asked for, minus
// what was dismissed. Whatever adds or clears an item announces attention:changed in the same
// transaction (announceAttention), so a client refetches instead of guessing.
class AttentionService {
public:
    AttentionService(store::Database& db, EventRecorder& events) : db_(db), events_(events) {}

    // The items, newest first; 404 for an unknown project.
    std::string list(const std::optional<std::string>& projectId);
    // Hides the items with these ids; returns {"dismissed":[ids],"unknown":[ids]} (ids that
    // name no current item: already cleared, dismissed, or never there).
    std::string dismiss(const std::vector<std::string>& ids);

private:
    store::Database& db_;
    EventRecorder& events_;
};

// Records attention:changed {projectId} in the caller's transaction.
void announceAttention(EventRecorder& events, store::Transaction& tx, const std::string& projectId);

} // namespace maestro::host::service
