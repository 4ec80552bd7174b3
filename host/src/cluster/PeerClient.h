#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace maestro::host::cluster {

// The header a node's request to another node carries: the cluster secret
// (service::NodeService::clusterSecret). The receiving node's guard accepts it in place of the
// bearer token, and a request that carries it is never forwarded again.
inline constexpr const char* kClusterSecretHeader = "X-Maestro-Cluster";

// How long a forwarded request that does real work — a spawn (hooks, a worktree), a stop (the
// process's grace period), a worktree's changes, diff, merge or discard (git) — waits for its
// node's answer.
inline constexpr std::chrono::milliseconds kSlowRequestTimeout{60000};

// Requests from this node to another: the node that took a client's request forwards it to the
// node that runs the session (or is to run the spawn) and hands back its answer as it is.
class PeerClient {
public:
    struct Answer {
        int status = 0;
        std::string body;
        std::string contentType;

        // The body of a success; an error answer is thrown as the domain::ApiError the node
        // gave (its status, code, message and details), for a caller that is not relaying
        // HTTP as it is (an MCP tool).
        std::string bodyOrThrow() const;
    };

    explicit PeerClient(std::string secret) : secret_(std::move(secret)) {}

    // Sends `method target` (origin-form, with its query) with `body` to the node at `baseUrl`
    // (http://host:port). Throws domain::ApiError 503 node_unavailable when the node cannot be
    // reached or does not answer within `timeout`.
    Answer send(const std::string& nodeId, const std::string& baseUrl, const std::string& method,
                const std::string& target, const std::string& body,
                std::chrono::milliseconds timeout) const;

private:
    std::string secret_;
};

} // namespace maestro::host::cluster
