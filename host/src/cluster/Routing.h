#pragma once

#include "domain/Session.h"
#include "service/NodeService.h"
#include "service/Services.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace maestro::host::cluster {

// Which node does what (docs/scale-out.md, "Sessions on nodes"): a spawn runs on the node it
// names, else on the node its project is pinned to, else on the node that took it; a session's
// terminal lives on the node that spawned it.
class Routing {
public:
    using Node = service::NodeService::Self;

    // `shared`: the database is one several nodes share (PostgreSQL); on SQLite this is the only
    // node. `sessionsDir`: this node's session folders — a session whose folder is here is this
    // node's even when recorded under another node id (a restart with a default id that names
    // another port), as the spawner judges at start.
    Routing(service::Services& services, service::NodeService& nodes, bool shared,
            std::filesystem::path sessionsDir)
        : services_(services), nodes_(nodes), shared_(shared),
          sessionsDir_(std::move(sessionsDir)) {}

    const Node& self() const noexcept { return nodes_.self(); }

    // The node that is to run the spawn when it is another; nullopt: this one. Throws ApiError
    // 404 for unknown tasks or nodes, 409 node_conflict when the request names another node
    // than the one its project is pinned to, 503 node_unavailable for a node that is down.
    std::optional<Node> spawnTarget(const domain::SpawnRequest& request);
    // The node whose holder runs the session when it is another; nullopt: this one (or the
    // session is a client's, with no node, or its folder is here, or the database is not
    // shared). Throws 404 for an unknown session, 503 for a node that is down.
    std::optional<Node> sessionOwner(const std::string& sessionId);
    // The id of the node a session runs on ("" for a client's session); a session never
    // moves, so this is remembered. Throws 404 for an unknown session.
    std::string nodeOf(const std::string& sessionId);
    // Another node as the database has it now; throws like spawnTarget for one that is
    // unknown or down.
    Node peer(const std::string& nodeId) { return nodes_.peer(nodeId); }

private:
    service::Services& services_;
    service::NodeService& nodes_;
    bool shared_;
    std::filesystem::path sessionsDir_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::string> sessionNodes_;
};

} // namespace maestro::host::cluster
