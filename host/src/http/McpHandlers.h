#pragma once

#include "http/Exchange.h"
#include "mcp/McpServer.h"
#include "mcp/Sessions.h"

#include <string_view>

namespace maestro::host::http {

// /mcp: the Model Context Protocol's Streamable HTTP transport. Every client message is one
// POST; a request is answered with one application/json JSON-RPC response, a notification or
// response with 202. initialize opens a session (Mcp-Session-Id), which every later message
// names; DELETE ends it. The server offers no stream, so GET is 405 (the route table's answer
// for a method it does not list). A request names its Maestro session with X-Maestro-Session
// (or once, on initialize). Host, Origin and token are checked as for every route.
class McpHandlers {
public:
    explicit McpHandlers(const mcp::McpServer& server) : server_(server) {}

    Response post(Request& request);
    Response remove(Request& request);

private:
    const mcp::McpServer& server_;
    mcp::Sessions sessions_;
};

// True for a request target of the MCP endpoint, whose transport errors are JSON-RPC errors.
bool isMcpTarget(std::string_view target) noexcept;

} // namespace maestro::host::http
