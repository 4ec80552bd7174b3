#pragma once

#include "domain/Event.h"
#include "store/Connection.h"

#include <optional>
#include <string>
#include <vector>

namespace maestro::host::store {

// The event log: every mutation appends its events in the same transaction, so the log is
// exactly what was stored, in commit order. The database numbers the events (SQLite's
// AUTOINCREMENT, PostgreSQL's event_head row): seq is strictly increasing, and a rolled-back
// transaction takes its numbers back with it, so seq has no gaps.
// Retention removes the oldest events (a prefix of the log), never one in the middle: every
// seq from firstSeq() to lastSeq() is there.
class EventRepository {
public:
    explicit EventRepository(Connection& connection) : db_(connection) {}

    // Appends and returns the complete event with its seq.
    domain::Event append(std::string type, std::string projectId, std::string dataJson,
                         std::int64_t timestamp);
    // Events with seq > after, oldest first. With a project, that project's events plus the
    // global ones (skills, …).
    std::vector<domain::Event> since(std::int64_t after, std::int64_t limit,
                                     const std::optional<std::string>& projectId = std::nullopt);
    // The newest events, oldest first.
    std::vector<domain::Event> recent(std::int64_t limit,
                                      const std::optional<std::string>& projectId = std::nullopt);
    std::int64_t lastSeq();
    // The oldest event still kept; lastSeq() + 1 when retention has emptied the log.
    std::int64_t firstSeq();
    // How many events follow `after` (for a project: its own and the global ones).
    std::int64_t countSince(std::int64_t after,
                            const std::optional<std::string>& projectId = std::nullopt);

    // Retention: the first seq to keep so that no event older than `cutoff` (ms) remains.
    std::int64_t firstSeqAtOrAfter(std::int64_t cutoff);
    // Deletes up to `batch` of the oldest events with seq < `keepFrom`; returns how many.
    std::int64_t prune(std::int64_t keepFrom, std::int64_t batch);

private:
    std::vector<domain::Event> eventsOf(Statement& query);

    Connection& db_;
};

} // namespace maestro::host::store
