#pragma once

#include "domain/Event.h"
#include "store/Database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::service {

// How much of the event log is kept (config.json eventLogDays, eventLogMaxEvents); 0 lifts
// that bound.
struct EventRetention {
    std::int64_t days = 30;
    std::int64_t maxEvents = 1'000'000;
};

// One read of the log after a client's `since`, all from one snapshot of the database.
struct EventPage {
    std::vector<domain::Event> events;
    // Events after `since` are no longer kept (retention removed them): the client cannot
    // catch up from the log and must reload its state instead. `events` is then empty.
    bool expired = false;
    std::int64_t firstSeq = 0; // the oldest event kept
    std::int64_t lastSeq = 0;
    std::int64_t total = 0; // events after `since` (for the project), when asked for
};

// Reading the event log (GET /api/events and the WebSocket hub's replay for `subscribe`) and
// keeping it to its retention.
class EventLogService {
public:
    explicit EventLogService(store::Database& db) : db_(db) {}

    enum class Total { Skip, Count };
    // The events after `after`; without it, from the oldest one kept.
    EventPage page(std::optional<std::int64_t> after, std::int64_t limit,
                   const std::optional<std::string>& projectId = std::nullopt,
                   Total total = Total::Skip);
    std::vector<domain::Event> since(std::int64_t after, std::int64_t limit,
                                     const std::optional<std::string>& projectId = std::nullopt);
    std::int64_t lastSeq();

    // Removes the events that are older than the retention allows, oldest first, in short
    // write transactions so other writers are not held up. Returns how many went.
    std::int64_t prune(const EventRetention& retention);

private:
    store::Database& db_;
};

} // namespace maestro::host::service
