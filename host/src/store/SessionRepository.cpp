#include "store/SessionRepository.h"

#include "domain/Attention.h"

namespace maestro::host::store {

namespace {

// Also the condition of the partial index sessions_live (migration 006): keep them identical.
constexpr const char* kLiveStatuses = "('spawning','running','idle','working')";

std::optional<std::string> nodeOf(const domain::Session& session) {
    if (session.nodeId.empty()) return std::nullopt;
    return session.nodeId;
}

// The awaiting_review column (migration 010): the inbox finds ended sessions to review by it.
std::int64_t awaitingReview(const domain::Session& session) {
    return domain::awaitsReview(session) ? 1 : 0;
}

std::vector<domain::Session> sessionsOf(Statement& query) {
    std::vector<domain::Session> sessions;
    while (query.step())
        sessions.push_back(domain::sessionFromJson(query.text(0)));
    return sessions;
}

} // namespace

void SessionRepository::replaceTasks(const domain::Session& session) {
    db_.prepare("DELETE FROM session_tasks WHERE session_id = ?").bind(1, session.id).run();
    for (const auto& task : session.taskIds)
        db_.prepare("INSERT INTO session_tasks (session_id, task_id) VALUES (?, ?)")
            .bind(1, session.id)
            .bind(2, task)
            .run();
}

void SessionRepository::insert(const domain::Session& session, const std::string& json) {
    db_.prepare("INSERT INTO sessions (id, project_id, status, started_at, version, json, "
                "node_id, awaiting_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, session.id)
        .bind(2, session.projectId)
        .bind(3, domain::toString(session.status))
        .bind(4, session.startedAt)
        .bind(5, session.version)
        .bind(6, json)
        .bind(7, nodeOf(session))
        .bind(8, awaitingReview(session))
        .run();
    replaceTasks(session);
}

void SessionRepository::update(const domain::Session& session, const std::string& json) {
    db_.prepare("UPDATE sessions SET status = ?, version = ?, json = ?, node_id = ?, "
                "awaiting_review = ? WHERE id = ?")
        .bind(1, domain::toString(session.status))
        .bind(2, session.version)
        .bind(3, json)
        .bind(4, nodeOf(session))
        .bind(5, awaitingReview(session))
        .bind(6, session.id)
        .run();
    replaceTasks(session);
}

void SessionRepository::updateJson(const std::string& id, const std::string& json) {
    db_.prepare("UPDATE sessions SET json = ? WHERE id = ?").bind(1, json).bind(2, id).run();
}

void SessionRepository::remove(const std::string& id) {
    db_.prepare("DELETE FROM sessions WHERE id = ?").bind(1, id).run();
}

std::optional<domain::Session> SessionRepository::find(const std::string& id) {
    auto json = findJson(id);
    if (!json) return std::nullopt;
    return domain::sessionFromJson(*json);
}

std::optional<std::string> SessionRepository::findJson(const std::string& id) {
    auto query = db_.prepare("SELECT json FROM sessions WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return query.string(0);
}

JsonPage SessionRepository::list(const SessionFilter& filter, Page page) {
    Where where;
    if (filter.projectId) where.add("project_id = ?", *filter.projectId);
    if (filter.taskId)
        where.add("id IN (SELECT session_id FROM session_tasks WHERE task_id = ?)", *filter.taskId);
    if (filter.status) where.add("status = ?", std::string(domain::toString(*filter.status)));
    if (filter.liveOnly) where.add(std::string("status IN ") + kLiveStatuses);

    JsonPage result;
    auto select = db_.prepare("SELECT json FROM sessions" + where.sql() +
                              " ORDER BY started_at, rowid LIMIT ? OFFSET ?");
    int index = where.bind(select);
    select.bind(index, page.limit).bind(index + 1, page.offset);
    while (select.step())
        result.items.push_back(select.string(0));
    result.total = where.total(db_, "sessions", page, result.items.size());
    return result;
}

std::vector<domain::Session> SessionRepository::live() {
    auto query =
        db_.prepare(std::string("SELECT json FROM sessions WHERE status IN ") + kLiveStatuses);
    return sessionsOf(query);
}

std::vector<domain::Session> SessionRepository::onNode(const std::string& nodeId,
                                                       domain::SessionStatus status) {
    auto query = db_.prepare("SELECT json FROM sessions WHERE node_id = ? AND status = ?");
    query.bind(1, nodeId).bind(2, domain::toString(status));
    return sessionsOf(query);
}

std::vector<domain::Session> SessionRepository::liveOnSilentNodes(const std::string& self,
                                                                  std::int64_t cutoff) {
    auto query =
        db_.prepare(std::string("SELECT json FROM sessions WHERE status IN ") + kLiveStatuses +
                    " AND node_id IN (SELECT id FROM nodes WHERE id <> ? AND heartbeat_at < ?)");
    query.bind(1, self).bind(2, cutoff);
    return sessionsOf(query);
}

bool SessionRepository::projectHasSessions(const std::string& projectId) {
    auto query = db_.prepare("SELECT EXISTS (SELECT 1 FROM sessions WHERE project_id = ?)");
    query.bind(1, projectId).step();
    return query.integer(0) != 0;
}

} // namespace maestro::host::store
