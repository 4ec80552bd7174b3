#include "http/McpHandlers.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "http/ErrorMapper.h"
#include "mcp/JsonRpc.h"

#include <Poco/String.h>

namespace maestro::host::http {

namespace mcprpc = mcp::rpc;

namespace {

Response rpcResponse(int status, std::string body) {
    return Response::json(status, std::move(body));
}

// A transport-level refusal: an HTTP status with a JSON-RPC error that answers no id.
Response refused(int status, int code, const std::string& message) {
    return rpcResponse(status, mcp::errorJson(std::nullopt, code, message));
}

std::optional<std::string> maestroSessionHeader(const Request& request) {
    auto value = request.header("X-Maestro-Session");
    if (!value || value->empty()) return std::nullopt;
    if (!domain::isValidId(*value))
        throw mcp::RpcError(mcprpc::kInvalidRequest, "X-Maestro-Session is not a session id");
    return value;
}

bool acceptsJson(const std::optional<std::string>& accept) {
    if (!accept) return true;
    auto text = Poco::toLower(*accept);
    return text.find("application/json") != std::string::npos ||
           text.find("application/*") != std::string::npos || text.find("*/*") != std::string::npos;
}

} // namespace

bool isMcpTarget(std::string_view target) noexcept {
    return target == "/mcp" || target.starts_with("/mcp?") || target.starts_with("/mcp/");
}

Response McpHandlers::post(Request& request) {
    auto type = request.header("Content-Type");
    if (!type || !Poco::toLower(*type).starts_with("application/json"))
        return refused(415, mcprpc::kInvalidRequest, "Content-Type must be application/json");
    if (!acceptsJson(request.header("Accept")))
        return refused(406, mcprpc::kInvalidRequest,
                       "Accept must allow application/json (this server sends no streams)");
    if (auto version = request.header("MCP-Protocol-Version");
        version && !mcp::McpServer::supports(*version))
        return refused(400, mcprpc::kInvalidRequest,
                       "Unsupported MCP-Protocol-Version: " + *version);

    mcp::Message message;
    std::optional<std::string> named;
    try {
        message = mcp::parseMessage(request.body());
        named = maestroSessionHeader(request);
    } catch (const mcp::RpcError& error) {
        return rpcResponse(400, mcp::errorJson(std::nullopt, error.code(), error.what()));
    }

    std::optional<std::string> sessionId;
    if (message.method == "initialize") {
        if (!message.isRequest())
            return refused(400, mcprpc::kInvalidRequest, "initialize must be a request");
    } else {
        sessionId = request.header("Mcp-Session-Id");
        if (!sessionId)
            return refused(400, mcprpc::kInvalidRequest,
                           "Mcp-Session-Id is required; send initialize first");
        auto session = sessions_.use(*sessionId);
        if (!session)
            return refused(404, mcprpc::kServerError,
                           "Session not found (expired or ended); initialize again");
        if (!named) named = session->maestroSession;
    }
    if (!message.isRequest()) return Response{202, {}, {}, {}};

    const auto& id = *message.idJson;
    try {
        auto outcome = server_.handle(message, named);
        auto response = rpcResponse(200, mcp::resultJson(id, outcome.resultJson));
        if (outcome.protocolVersion)
            response.header("Mcp-Session-Id", sessions_.open(*outcome.protocolVersion, named));
        return response;
    } catch (const mcp::RpcError& error) {
        return rpcResponse(200, mcp::errorJson(id, error.code(), error.what(), error.dataJson()));
    } catch (...) {
        // The one mapping of unexpected failures (logged with an incident number).
        auto mapped = mapCurrentException();
        return rpcResponse(200,
                           mcp::errorJson(id, mcprpc::kInternalError,
                                          "Internal error of the Maestro server", mapped.body));
    }
}

Response McpHandlers::remove(Request& request) {
    auto sessionId = request.header("Mcp-Session-Id");
    if (!sessionId) return refused(400, mcprpc::kInvalidRequest, "Mcp-Session-Id is required");
    if (!sessions_.close(*sessionId))
        return refused(404, mcprpc::kServerError, "Session not found");
    return Response::json(200, R"({"success":true})");
}

} // namespace maestro::host::http
