#pragma once

#include "mcp/Tool.h"

#include <optional>
#include <string>

// The resources: a session's brief (maestro://sessions/{id}/brief, Markdown) and a task's
// context (maestro://tasks/{id}/context, JSON: the task, its project, subtasks and
// dependencies).
namespace maestro::host::mcp::resources {

// The result of resources/templates/list.
std::string templatesJson();
// The result of resources/list: the calling session's brief and its tasks' contexts (nothing
// when the request names no session).
std::string listJson(const ToolEnv& env, const std::optional<std::string>& session);
// The result of resources/read; throws RpcError kResourceNotFound for a URI that names nothing.
std::string readJson(const ToolEnv& env, const std::string& uri);

} // namespace maestro::host::mcp::resources
