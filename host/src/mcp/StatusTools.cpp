#include "mcp/Tools.h"

namespace maestro::host::mcp {

std::vector<Tool> statusTools() {
    return {{"status_overview", "Project overview",
             "Tasks per status, blocked tasks and why, live sessions and recent activity of a "
             "project (default: the calling session's; all projects when there is none).",
             R"({"type":"object","properties":{"projectId":{"type":"string"}},)"
             R"("additionalProperties":false})",
             R"({"type":"object","properties":{"counts":{"type":"object"},)"
             R"("blocked":{"type":"array"},"sessions":{"type":"array"},)"
             R"("recentEvents":{"type":"array"},"lastSeq":{"type":"integer"}},)"
             R"("required":["counts","blocked","sessions"]})",
             true,
             [](ToolCall& call) { return call.env().services.status.overview(call.projectId()); }}};
}

} // namespace maestro::host::mcp
