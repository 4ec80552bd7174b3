#include "store/EventRepository.h"

#include <Poco/Data/Statement.h>

#include <algorithm>

namespace maestro::host::store {

using namespace Poco::Data::Keywords;
using domain::Event;

namespace {

struct EventColumns {
    std::vector<std::int64_t> seq;
    std::vector<std::string> type;
    std::vector<Poco::Nullable<std::string>> projectId;
    std::vector<std::string> data;
    std::vector<std::int64_t> timestamp;

    std::vector<Event> events() {
        std::vector<Event> result(seq.size());
        for (std::size_t i = 0; i < seq.size(); ++i) {
            result[i].seq = seq[i];
            result[i].type = std::move(type[i]);
            result[i].projectId = projectId[i].isNull() ? std::string{} : projectId[i].value();
            result[i].dataJson = std::move(data[i]);
            result[i].timestamp = timestamp[i];
        }
        return result;
    }
};

Poco::Nullable<std::string> nullIfEmpty(const std::string& text) {
    if (text.empty()) return {};
    return text;
}

} // namespace

Event EventRepository::append(std::string type, std::string projectId, std::string dataJson,
                              std::int64_t timestamp) {
    Event event;
    event.type = std::move(type);
    event.projectId = std::move(projectId);
    event.dataJson = std::move(dataJson);
    event.timestamp = timestamp;
    auto project = nullIfEmpty(event.projectId);
    session_ << "INSERT INTO events (type, project_id, data, timestamp) VALUES (?, ?, ?, ?) "
                "RETURNING seq",
        useRef(event.type), use(project), useRef(event.dataJson), useRef(event.timestamp),
        into(event.seq), now;
    return event;
}

std::vector<Event> EventRepository::since(std::int64_t after, std::int64_t limit,
                                          const std::optional<std::string>& projectId) {
    EventColumns rows;
    if (projectId)
        session_ << "SELECT seq, type, project_id, data, timestamp FROM events "
                    "WHERE seq > ? AND (project_id = ? OR project_id IS NULL) ORDER BY seq LIMIT ?",
            useRef(after), useRef(*projectId), useRef(limit), into(rows.seq), into(rows.type),
            into(rows.projectId), into(rows.data), into(rows.timestamp), now;
    else
        session_ << "SELECT seq, type, project_id, data, timestamp FROM events "
                    "WHERE seq > ? ORDER BY seq LIMIT ?",
            useRef(after), useRef(limit), into(rows.seq), into(rows.type), into(rows.projectId),
            into(rows.data), into(rows.timestamp), now;
    return rows.events();
}

std::vector<Event> EventRepository::recent(std::int64_t limit,
                                           const std::optional<std::string>& projectId) {
    EventColumns rows;
    if (projectId)
        session_ << "SELECT seq, type, project_id, data, timestamp FROM events "
                    "WHERE project_id = ? OR project_id IS NULL ORDER BY seq DESC LIMIT ?",
            useRef(*projectId), useRef(limit), into(rows.seq), into(rows.type),
            into(rows.projectId), into(rows.data), into(rows.timestamp), now;
    else
        session_ << "SELECT seq, type, project_id, data, timestamp FROM events "
                    "ORDER BY seq DESC LIMIT ?",
            useRef(limit), into(rows.seq), into(rows.type), into(rows.projectId), into(rows.data),
            into(rows.timestamp), now;
    auto events = rows.events();
    std::reverse(events.begin(), events.end());
    return events;
}

std::int64_t EventRepository::lastSeq() {
    // sqlite_sequence remembers the last seq even if old events are ever pruned.
    std::int64_t last = 0;
    session_ << "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)",
        into(last), now;
    return last;
}

} // namespace maestro::host::store
