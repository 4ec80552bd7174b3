#include "store/EventRepository.h"

#include <algorithm>

namespace maestro::host::store {

using domain::Event;

namespace {

constexpr const char* kColumns = "SELECT seq, type, project_id, data, timestamp FROM events ";

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
        auto query = db_.prepare(
            std::string(kColumns) +
            "WHERE seq > ? AND (project_id = ? OR project_id IS NULL) ORDER BY seq LIMIT ?");
        query.bind(1, after).bind(2, *projectId).bind(3, limit);
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
        auto query =
            db_.prepare(std::string(kColumns) +
                        "WHERE project_id = ? OR project_id IS NULL ORDER BY seq DESC LIMIT ?");
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

std::int64_t EventRepository::countSince(std::int64_t after,
                                         const std::optional<std::string>& projectId) {
    auto query = projectId ? db_.prepare("SELECT COUNT(*) FROM events WHERE seq > ? AND "
                                         "(project_id = ? OR project_id IS NULL)")
                           : db_.prepare("SELECT COUNT(*) FROM events WHERE seq > ?");
    query.bind(1, after);
    if (projectId) query.bind(2, *projectId);
    query.step();
    return query.integer(0);
}

} // namespace maestro::host::store
