#pragma once

#include "store/Connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::store {

// One server sharing the database, as its last heartbeat left it.
struct NodeRow {
    std::string id;
    std::string url;                       // where the other nodes and clients reach it
    std::int64_t startedAt = 0;            // ms since the epoch, the node's clock
    std::int64_t heartbeatAt = 0;          // likewise
    std::optional<std::int64_t> stoppedAt; // set by a clean shutdown
    std::int64_t sessions = 0;             // live sessions it held at that heartbeat
};

class NodeRepository {
public:
    explicit NodeRepository(Connection& connection) : db_(connection) {}

    // Registers a node, or takes over the row of a previous run with the same id.
    void save(const NodeRow& node);
    // Records a heartbeat; false when the node has no row (someone removed it).
    bool heartbeat(const std::string& id, std::int64_t at, std::int64_t sessions);
    void markStopped(const std::string& id, std::int64_t at);
    // Every node but `id`: on SQLite, where one server owns the file.
    void removeAllBut(const std::string& id);
    // Forgets the nodes silent since before the cutoff: long gone, not merely down.
    void removeSilentSince(std::int64_t cutoff);
    std::vector<NodeRow> list();
    std::optional<NodeRow> find(const std::string& id);
    // The secret nodes present to each other: the stored one, or `candidate` when there is
    // none yet (the first node to start sets it).
    std::string clusterSecret(const std::string& candidate);

private:
    Connection& db_;
};

} // namespace maestro::host::store
