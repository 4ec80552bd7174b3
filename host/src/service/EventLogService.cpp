#include "service/EventLogService.h"

#include "store/EventRepository.h"

namespace maestro::host::service {

std::vector<domain::Event> EventLogService::since(std::int64_t after, std::int64_t limit,
                                                  const std::optional<std::string>& projectId) {
    return db_.read([&](auto& session) {
        return store::EventRepository(session).since(after, limit, projectId);
    });
}

std::int64_t EventLogService::lastSeq() {
    return db_.read([](auto& session) { return store::EventRepository(session).lastSeq(); });
}

} // namespace maestro::host::service
