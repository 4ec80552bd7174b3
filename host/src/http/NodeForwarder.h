#pragma once

#include "cluster/PeerClient.h"
#include "cluster/Routing.h"
#include "http/Exchange.h"

#include <chrono>
#include <optional>
#include <string>

namespace maestro::host::http {

// Requests about a session that runs on another node — its terminal, its worktree — are
// answered by that node: forwarded with the cluster secret, its answer (success or error)
// given as it is (docs/scale-out.md). A forwarded request is never forwarded again.
class NodeForwarder {
public:
    NodeForwarder(cluster::Routing& routing, const cluster::PeerClient& peers)
        : routing_(routing), peers_(peers) {}

    // The answer of the node that runs the session, when that is another node and the request
    // was not forwarded here already; nullopt: this node answers.
    std::optional<Response> onOwner(Request& request, const std::string& sessionId,
                                    std::chrono::milliseconds timeout);
    // The answer of `node` to this request.
    Response forward(Request& request, const cluster::Routing::Node& node,
                     std::chrono::milliseconds timeout);
    // Whether another node sent this request.
    static bool forwarded(const Request& request);

private:
    cluster::Routing& routing_;
    const cluster::PeerClient& peers_;
};

} // namespace maestro::host::http
