#include "store/NodeRepository.h"

namespace maestro::host::store {

void NodeRepository::save(const NodeRow& node) {
    db_.prepare("INSERT INTO nodes (id, url, started_at, heartbeat_at, stopped_at, sessions) "
                "VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (id) DO UPDATE SET url = excluded.url, "
                "started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, "
                "stopped_at = NULL, sessions = excluded.sessions")
        .bind(1, node.id)
        .bind(2, node.url)
        .bind(3, node.startedAt)
        .bind(4, node.heartbeatAt)
        .bind(5, node.sessions)
        .run();
}

bool NodeRepository::heartbeat(const std::string& id, std::int64_t at, std::int64_t sessions) {
    db_.prepare("UPDATE nodes SET heartbeat_at = ?, sessions = ? WHERE id = ?")
        .bind(1, at)
        .bind(2, sessions)
        .bind(3, id)
        .run();
    return db_.changes() == 1;
}

void NodeRepository::markStopped(const std::string& id, std::int64_t at) {
    db_.prepare("UPDATE nodes SET stopped_at = ? WHERE id = ?").bind(1, at).bind(2, id).run();
}

void NodeRepository::removeAllBut(const std::string& id) {
    db_.prepare("DELETE FROM nodes WHERE id <> ?").bind(1, id).run();
}

void NodeRepository::removeSilentSince(std::int64_t cutoff) {
    db_.prepare("DELETE FROM nodes WHERE heartbeat_at < ?").bind(1, cutoff).run();
}

namespace {

constexpr const char* kSelectNodes =
    "SELECT id, url, started_at, heartbeat_at, stopped_at, sessions FROM nodes";

NodeRow nodeOf(const Statement& query) {
    NodeRow node{query.string(0),  query.string(1), query.integer(2),
                 query.integer(3), std::nullopt,    query.integer(5)};
    if (!query.isNull(4)) node.stoppedAt = query.integer(4);
    return node;
}

} // namespace

std::vector<NodeRow> NodeRepository::list() {
    auto query = db_.prepare(std::string(kSelectNodes) + " ORDER BY id");
    std::vector<NodeRow> nodes;
    while (query.step())
        nodes.push_back(nodeOf(query));
    return nodes;
}

std::optional<NodeRow> NodeRepository::find(const std::string& id) {
    auto query = db_.prepare(std::string(kSelectNodes) + " WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return nodeOf(query);
}

std::string NodeRepository::clusterSecret(const std::string& candidate) {
    db_.prepare("INSERT INTO cluster_settings (name, value) VALUES ('secret', ?) "
                "ON CONFLICT (name) DO NOTHING")
        .bind(1, candidate)
        .run();
    auto query = db_.prepare("SELECT value FROM cluster_settings WHERE name = 'secret'");
    query.step();
    return query.string(0);
}

} // namespace maestro::host::store
