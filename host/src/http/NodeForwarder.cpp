#include "http/NodeForwarder.h"

namespace maestro::host::http {

std::optional<Response> NodeForwarder::onOwner(Request& request, const std::string& sessionId,
                                               std::chrono::milliseconds timeout) {
    if (forwarded(request)) return std::nullopt;
    auto owner = routing_.sessionOwner(sessionId);
    if (!owner) return std::nullopt;
    return forward(request, *owner, timeout);
}

Response NodeForwarder::forward(Request& request, const cluster::Routing::Node& node,
                                std::chrono::milliseconds timeout) {
    auto answer =
        peers_.send(node.id, node.url, request.method(), request.target(), request.body(), timeout);
    return {answer.status, std::move(answer.body), std::move(answer.contentType), {}};
}

bool NodeForwarder::forwarded(const Request& request) {
    return request.header(cluster::kClusterSecretHeader).has_value();
}

} // namespace maestro::host::http
