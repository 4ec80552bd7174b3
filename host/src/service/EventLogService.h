#pragma once

#include "domain/Event.h"
#include "store/Database.h"

#include <optional>
#include <string>
#include <vector>

namespace maestro::host::service {

// Reading the event log: GET /api/events and the WebSocket hub's replay for `subscribe`.
class EventLogService {
public:
    explicit EventLogService(store::Database& db) : db_(db) {}

    std::vector<domain::Event> since(std::int64_t after, std::int64_t limit,
                                     const std::optional<std::string>& projectId = std::nullopt);
    std::int64_t lastSeq();
    std::int64_t countSince(std::int64_t after,
                            const std::optional<std::string>& projectId = std::nullopt);

private:
    store::Database& db_;
};

} // namespace maestro::host::service
