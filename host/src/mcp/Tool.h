#pragma once

#include "domain/JsonInput.h"
#include "service/Services.h"

#include <functional>
#include <optional>
#include <string>

namespace maestro::host::spawn {
class Spawner;
}
namespace maestro::host::cluster {
class Routing;
class PeerClient;
} // namespace maestro::host::cluster

namespace maestro::host::mcp {

// What tools work with: the server's services (the same ones the HTTP handlers call), the
// spawner, and the cluster's routing and peers — a spawn for another node goes there, as
// POST /api/sessions/spawn would.
struct ToolEnv {
    service::Services& services;
    spawn::Spawner& spawner;
    cluster::Routing& routing;
    const cluster::PeerClient& peers;
};

// One call of a tool: its arguments (already checked against its input schema) and the Maestro
// session the request names, if any — the default for a task, a project or a report's author.
class ToolCall {
public:
    ToolCall(const ToolEnv& env, domain::JsonInput arguments, std::optional<std::string> session)
        : env_(env), arguments_(std::move(arguments)), session_(std::move(session)) {}

    const ToolEnv& env() const noexcept { return env_; }
    const domain::JsonInput& arguments() const noexcept { return arguments_; }
    const std::optional<std::string>& session() const noexcept { return session_; }

    // The "taskId" argument, else the calling session's first task; ApiError 400 without either.
    std::string taskId() const;
    // The "projectId" argument, else the calling session's project; nullopt without either.
    std::optional<std::string> projectId() const;
    // A copy of the arguments to pass, as a request body, to the HTTP API's parsers: every
    // argument but the ones named (ids the tool takes from its own fields).
    Poco::JSON::Object::Ptr body(std::initializer_list<const char*> without) const;

private:
    const ToolEnv& env_;
    domain::JsonInput arguments_;
    std::optional<std::string> session_;
};

// A tool as tools/list publishes it. Schemas are JSON Schema objects as text; run returns the
// structured result, a JSON object.
struct Tool {
    std::string name;
    std::string title;
    std::string description;
    std::string inputSchema;
    std::string outputSchema;
    bool readOnly = false;
    std::function<std::string(ToolCall&)> run;
};

} // namespace maestro::host::mcp
