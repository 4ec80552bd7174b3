#include "http/Dispatcher.h"

#include "domain/ApiError.h"
#include "http/ErrorMapper.h"
#include "http/McpHandlers.h"
#include "http/RequestTarget.h"
#include "ws/Upgrade.h"

#include <Poco/String.h>

namespace maestro::host::http {

using domain::ApiError;

namespace {

// The MCP endpoint's clients read JSON-RPC, so its refusals come in that shape.
ErrorShape errorShapeOf(const IncomingRequest& request) {
    return isMcpTarget(request.head.getURI()) ? ErrorShape::JsonRpc : ErrorShape::Api;
}

} // namespace

Outcome Dispatcher::dispatch(IncomingRequest& request) const noexcept {
    try {
        return *handle(request, false);
    } catch (...) {
        return {mapCurrentException(errorShapeOf(request))};
    }
}

std::optional<Outcome> Dispatcher::dispatchOnLoop(IncomingRequest& request) const noexcept {
    try {
        return handle(request, true);
    } catch (...) {
        return Outcome{mapCurrentException(errorShapeOf(request))};
    }
}

std::optional<Outcome> Dispatcher::handle(IncomingRequest& incoming, bool onLoop) const {
    const auto& request = incoming.head;
    auto target = RequestTarget::parse(request.getURI());
    const auto& method = request.getMethod();
    const auto& first = target.segments.empty() ? std::string{} : target.segments.front();
    const bool upgrade = ws::isUpgradeRequest(request);
    const bool api =
        first == "api" || first == "mcp" || (first == "health" && target.segments.size() == 1);
    const bool uiFile = !upgrade && !api && (method == "GET" || method == "HEAD");
    using Token = RequestGuard::Token;
    parts_.guard.check(request,
                       upgrade  ? Token::HeaderOrQuery
                       : uiFile ? Token::NotNeeded
                                : Token::Header,
                       target.query);

    if (upgrade) {
        bool wsPath =
            target.segments.empty() || (target.segments.size() == 1 && target.segments[0] == "ws");
        if (!wsPath) throw ApiError(404, "route_not_found", "No WebSocket at " + target.path);
        Response switching{101, {}, {}, {}};
        switching.header("Upgrade", "websocket")
            .header("Connection", "Upgrade")
            .header("Sec-WebSocket-Accept", ws::handshakeAccept(request));
        return Outcome{std::move(switching), true};
    }

    if (uiFile) {
        if (onLoop) return std::nullopt; // files are read from disk
        if (auto file = parts_.web.serve(target.segments, request.get("Accept-Encoding", "")))
            return Outcome{std::move(*file)};
    }

    // HEAD is GET without the body (ResponseBytes leaves it out).
    auto match =
        parts_.router.match(method == "HEAD" ? std::string("GET") : method, target.segments);
    const auto& path = target.path;
    if (!match.handler) {
        if (match.allowedMethods.empty())
            throw ApiError(404, "route_not_found", "No route for " + method + " " + path);
        auto refused = errorResponse(
            ApiError(405, "method_not_allowed", method + " is not allowed on " + path));
        refused.header("Allow", Poco::cat(std::string(", "), match.allowedMethods.begin(),
                                          match.allowedMethods.end()));
        return Outcome{std::move(refused)};
    }
    if (onLoop) {
        if (!match.onLoop) return std::nullopt;
        Request call(request, path, target.queryParameters(), incoming.body);
        call.setParams(std::move(match.params));
        auto response = (*match.onLoop)(call);
        if (!response) return std::nullopt;
        return Outcome{std::move(*response)};
    }

    Request call(request, path, target.queryParameters(), std::move(incoming.body));
    call.setParams(std::move(match.params));
    if (method == "POST" && request.has("Idempotency-Key")) {
        auto work = [&] {
            auto fresh = (*match.handler)(call);
            return service::Reply{fresh.status, std::move(fresh.body)};
        };
        const auto& key = request.get("Idempotency-Key");
        auto reply = match.idempotency == Idempotency::Atomic
                         ? parts_.idempotency.run(key, method, path, call.body(), work)
                         : parts_.idempotency.runReserved(key, method, path, call.body(), work);
        auto result = Response::json(reply.status, std::move(reply.body));
        if (reply.replayed) result.header("Idempotent-Replayed", "true");
        return Outcome{std::move(result)};
    }
    return Outcome{(*match.handler)(call)};
}

} // namespace maestro::host::http
