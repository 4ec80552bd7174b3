#pragma once

#include "store/Paging.h"

#include <string>
#include <string_view>

// JSON Schema fragments the tools share, and the structured result of a list.
namespace maestro::host::mcp::schema {

// The output of a tool that returns one task (or subtask, or session): the entity as the HTTP
// API renders it. Only what every such object has is required, so the schema stays true.
inline constexpr std::string_view kTask =
    R"({"type":"object","properties":{"id":{"type":"string"},"projectId":{"type":"string"},)"
    R"("title":{"type":"string"},"status":{"type":"string"},"priority":{"type":"string"},)"
    R"("blockedReason":{"type":["string","null"]},"sessionStatus":{"type":["string","null"]}},)"
    R"("required":["id","projectId","title","status"]})";

inline constexpr std::string_view kSession =
    R"({"type":"object","properties":{"id":{"type":"string"},"projectId":{"type":"string"},)"
    R"("taskIds":{"type":"array","items":{"type":"string"}},"status":{"type":"string"},)"
    R"("role":{"type":"string"}},"required":["id","projectId","status"]})";

// {"<key>":[…objects…],"total":N}
std::string listOf(std::string_view key);
std::string listJson(std::string_view key, const store::JsonPage& page);

// The input fragment naming a task that defaults to the calling session's.
inline constexpr std::string_view kTaskIdArgument =
    R"("taskId":{"type":"string","description":"The task; default: the first task of the )"
    R"(Maestro session this request names"})";

} // namespace maestro::host::mcp::schema
