#include "service/EventLogService.h"

#include "store/EventRepository.h"

namespace maestro::host::service {

std::vector<domain::Event> EventLogService::since(std::int64_t after, std::int64_t limit,
                                                  const std::optional<std::string>& projectId) {
    return db_.read([&](store::Connection& connection) {
        return store::EventRepository(connection).since(after, limit, projectId);
    });
}

std::int64_t EventLogService::lastSeq() {
    return db_.read(
        [](store::Connection& connection) { return store::EventRepository(connection).lastSeq(); });
}

std::int64_t EventLogService::countSince(std::int64_t after,
                                         const std::optional<std::string>& projectId) {
    return db_.read([&](store::Connection& connection) {
        return store::EventRepository(connection).countSince(after, projectId);
    });
}

} // namespace maestro::host::service
