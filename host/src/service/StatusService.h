#pragma once

#include "store/Database.h"

#include <functional>
#include <optional>
#include <string>

namespace maestro::host::service {

// GET /api/status: one request gives the whole picture of a project (or of everything):
// task counts per status, blocked tasks with their reasons, live sessions, recent activity.
class StatusService {
public:
    // Renders the live sessions of a project as a JSON array (the session service provides it).
    using LiveSessions = std::function<std::string(const std::optional<std::string>& projectId)>;

    StatusService(store::Database& db, LiveSessions liveSessions)
        : db_(db), liveSessions_(std::move(liveSessions)) {}

    std::string overview(const std::optional<std::string>& projectId);

private:
    store::Database& db_;
    LiveSessions liveSessions_;
};

} // namespace maestro::host::service
