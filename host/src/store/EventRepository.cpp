#include "store/EventRepository.h"

#include <algorithm>

namespace maestro::host::store {

using domain::Event;

namespace {

constexpr const char* kColumns = "SELECT seq, type, project_id, data, timestamp FROM events ";

// A project's events and the global ones, as one stream in seq order: two ranges of
// events_by_project that SQLite merges as it reads, so a page costs its own size however long
// the log is (an OR of the two would scan the log).
std::string projectAndGlobal(const std::string& range, const std::string& order) {
    return std::string(kColumns) + "WHERE project_id = ?" + range + " UNION ALL " + kColumns +
           "WHERE project_id IS NULL" + range + " ORDER BY seq " + order + " LIMIT ?";
}

} // namespace

std::vector<Event> EventRepository::eventsOf(Statement& query) {
    std::vector<Event> events;
    while (query.step()) {
        Event event;
        event.seq = query.integer(0);
        event.type = query.string(1);
        event.projectId = query.string(2); // NULL reads as empty: a global event
        event.dataJson = query.string(3);
        event.timestamp = query.integer(4);
        events.push_back(std::move(event));
    }
    return events;
}

Event EventRepository::append(std::string type, std::string projectId, std::string dataJson,
                              std::int64_t timestamp) {
    Event event;
    event.type = std::move(type);
    event.projectId = std::move(projectId);
    event.dataJson = std::move(dataJson);
    event.timestamp = timestamp;
    auto insert = db_.prepare(
        "INSERT INTO events (type, project_id, data, timestamp) VALUES (?, ?, ?, ?) RETURNING seq");
    insert.bind(1, event.type).bind(4, event.timestamp).bind(3, event.dataJson);
    if (event.projectId.empty())
        insert.bindNull(2);
    else
        insert.bind(2, event.projectId);
    insert.step();
    event.seq = insert.integer(0);
    insert.run(); // finish the statement so the insert is complete
    return event;
}

std::vector<Event> EventRepository::since(std::int64_t after, std::int64_t limit,
                                          const std::optional<std::string>& projectId) {
    if (projectId) {
        auto query = db_.prepare(projectAndGlobal(" AND seq > ?", "ASC"));
        query.bind(1, *projectId).bind(2, after).bind(3, after).bind(4, limit);
        return eventsOf(query);
    }
    auto query = db_.prepare(std::string(kColumns) + "WHERE seq > ? ORDER BY seq LIMIT ?");
    query.bind(1, after).bind(2, limit);
    return eventsOf(query);
}

std::vector<Event> EventRepository::recent(std::int64_t limit,
                                           const std::optional<std::string>& projectId) {
    std::vector<Event> events;
    if (projectId) {
        auto query = db_.prepare(projectAndGlobal("", "DESC"));
        query.bind(1, *projectId).bind(2, limit);
        events = eventsOf(query);
    } else {
        auto query = db_.prepare(std::string(kColumns) + "ORDER BY seq DESC LIMIT ?");
        query.bind(1, limit);
        events = eventsOf(query);
    }
    std::reverse(events.begin(), events.end());
    return events;
}

std::int64_t EventRepository::lastSeq() {
    // Both remember the last seq even if old events are ever pruned: SQLite's AUTOINCREMENT
    // keeps it in sqlite_sequence, the PostgreSQL schema in event_head (migration 001).
    auto query =
        db_.backend() == Backend::Postgres
            ? db_.prepare("SELECT last_seq FROM event_head")
            : db_.prepare(
                  "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)");
    query.step();
    return query.integer(0);
}

std::int64_t EventRepository::firstSeq() {
    auto query = db_.prepare("SELECT seq FROM events ORDER BY seq LIMIT 1");
    if (query.step()) return query.integer(0);
    return lastSeq() + 1;
}

std::int64_t EventRepository::countSince(std::int64_t after,
                                         const std::optional<std::string>& projectId) {
    if (!projectId) {
        // The log holds every seq from firstSeq() to lastSeq(): no need to count them.
        return std::max<std::int64_t>(0, lastSeq() - std::max(after, firstSeq() - 1));
    }
    auto query =
        db_.prepare("SELECT (SELECT COUNT(*) FROM events WHERE project_id = ? AND seq > ?)"
                    " + (SELECT COUNT(*) FROM events WHERE project_id IS NULL AND seq > ?)");
    query.bind(1, *projectId).bind(2, after).bind(3, after);
    query.step();
    return query.integer(0);
}

std::int64_t EventRepository::firstSeqAtOrAfter(std::int64_t cutoff) {
    // Reads from the oldest event on and stops at the first young enough: it reads what is
    // about to be pruned, no more. (Timestamps follow seq, give or take a clock step.)
    auto query = db_.prepare("SELECT seq FROM events WHERE timestamp >= ? ORDER BY seq LIMIT 1");
    query.bind(1, cutoff);
    if (query.step()) return query.integer(0);
    return lastSeq() + 1;
}

std::int64_t EventRepository::prune(std::int64_t keepFrom, std::int64_t batch) {
    db_.prepare("DELETE FROM events WHERE seq IN "
                "(SELECT seq FROM events WHERE seq < ? ORDER BY seq LIMIT ?)")
        .bind(1, keepFrom)
        .bind(2, batch)
        .run();
    return db_.changes();
}

} // namespace maestro::host::store
