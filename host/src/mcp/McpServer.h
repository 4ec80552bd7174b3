#pragma once

#include "mcp/JsonRpc.h"
#include "mcp/Tool.h"

#include <Poco/JSON/Object.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::mcp {

// The Model Context Protocol methods, whatever the transport: initialize (with version
// negotiation), ping, tools/list, tools/call, resources/list, resources/templates/list and
// resources/read. Tools call the services the HTTP handlers call.
class McpServer {
public:
    // Newest first; initialize answers with the client's version when it is one of these, else
    // with the first.
    static const std::vector<std::string>& protocolVersions();
    static bool supports(std::string_view version);

    McpServer(ToolEnv env, std::string serverVersion);

    // What a request produced: its result (a JSON object), and for initialize the protocol
    // version agreed on.
    struct Outcome {
        std::string resultJson;
        std::optional<std::string> protocolVersion;
    };
    // Answers one request. `session` is the Maestro session the request names. Throws RpcError
    // for a protocol error (unknown method, invalid params); a tool that fails returns a result
    // with isError. Anything else that escapes is a bug of the server.
    Outcome handle(const Message& request, const std::optional<std::string>& session) const;

private:
    struct Entry {
        Tool tool;
        Poco::JSON::Object::Ptr inputSchema;
    };
    Outcome dispatch(const Message& request, const std::optional<std::string>& session) const;
    std::string initialize(const Poco::JSON::Object& params, std::string& version) const;
    std::string listTools() const;
    std::string callTool(const Poco::JSON::Object& params,
                         const std::optional<std::string>& session) const;

    ToolEnv env_;
    std::string serverVersion_;
    std::vector<Entry> tools_;
    std::map<std::string, std::size_t, std::less<>> byName_;
    std::string toolsJson_; // tools/list never changes: rendered once
};

} // namespace maestro::host::mcp
