#pragma once

#include <Poco/JSON/Object.h>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace maestro::host::mcp {

// JSON-RPC 2.0 error codes (the specification's, and MCP's for a missing resource).
namespace rpc {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// Implementation-defined server errors: access refused, transport-level failures.
inline constexpr int kServerError = -32000;
inline constexpr int kResourceNotFound = -32002;
} // namespace rpc

// A failure answered as a JSON-RPC error object.
class RpcError : public std::runtime_error {
public:
    RpcError(int code, std::string message, std::string dataJson = {})
        : std::runtime_error(message), code_(code), dataJson_(std::move(dataJson)) {}
    int code() const noexcept { return code_; }
    // A JSON value, or empty for none.
    const std::string& dataJson() const noexcept { return dataJson_; }

private:
    int code_;
    std::string dataJson_;
};

// One message a client sent: a request (id set), a notification (no id), or a response to a
// request of ours (result or error set; this server sends none, so these are only accepted).
struct Message {
    std::optional<std::string> idJson; // the id exactly as sent: a string or a number
    std::string method;
    Poco::JSON::Object::Ptr params; // never null: {} when absent
    bool isResponse = false;

    bool isRequest() const noexcept { return idJson.has_value() && !isResponse; }
};

// Parses one JSON-RPC 2.0 message. Throws RpcError: kParseError for text that is not JSON,
// kInvalidRequest for JSON that is not a single valid message (batches included; MCP dropped
// them), kInvalidParams for params that are not an object.
Message parseMessage(std::string_view text);

// {"jsonrpc":"2.0","id":…,"result":…}
std::string resultJson(const std::string& idJson, std::string_view result);
// {"jsonrpc":"2.0","id":… or null,"error":{"code","message","data"?}}
std::string errorJson(const std::optional<std::string>& idJson, int code, std::string_view message,
                      std::string_view dataJson = {});

} // namespace maestro::host::mcp
