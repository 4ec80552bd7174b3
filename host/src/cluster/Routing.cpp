#include "cluster/Routing.h"

#include "domain/ApiError.h"

namespace maestro::host::cluster {

namespace {

// Enough for every session a busy node's clients touch; past it the memory starts over.
constexpr std::size_t kRememberedSessions = 100000;

} // namespace

std::optional<Routing::Node> Routing::spawnTarget(const domain::SpawnRequest& request) {
    auto project = services_.projects.find(services_.sessions.validateSpawn(request));
    if (request.nodeId && project.nodeId && *request.nodeId != *project.nodeId)
        throw domain::ApiError::conflict("node_conflict",
                                         "Project " + project.id + " is pinned to node " +
                                             *project.nodeId + ", not " + *request.nodeId);
    auto target = request.nodeId ? request.nodeId : project.nodeId;
    if (!target || nodes_.isSelf(*target)) return std::nullopt;
    return nodes_.peer(*target);
}

std::string Routing::nodeOf(const std::string& sessionId) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = sessionNodes_.find(sessionId); it != sessionNodes_.end()) return it->second;
    }
    auto node = services_.sessions.find(sessionId).nodeId;
    std::lock_guard lock(mutex_);
    if (sessionNodes_.size() >= kRememberedSessions) sessionNodes_.clear();
    sessionNodes_.emplace(sessionId, node);
    return node;
}

std::optional<Routing::Node> Routing::sessionOwner(const std::string& sessionId) {
    if (!shared_) return std::nullopt;
    auto node = nodeOf(sessionId);
    if (node.empty() || nodes_.isSelf(node)) return std::nullopt;
    std::error_code ec;
    if (std::filesystem::is_directory(sessionsDir_ / sessionId, ec)) return std::nullopt;
    try {
        return nodes_.peer(node);
    } catch (const domain::ApiError&) {
        // A node back under another id (a default id names the port) has taken its sessions
        // over: look again before saying the session's node is gone.
        {
            std::lock_guard lock(mutex_);
            sessionNodes_.erase(sessionId);
        }
        auto now = nodeOf(sessionId);
        if (now == node) throw;
        if (now.empty() || nodes_.isSelf(now)) return std::nullopt;
        return nodes_.peer(now);
    }
}

} // namespace maestro::host::cluster
