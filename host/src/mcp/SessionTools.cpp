#include "cluster/PeerClient.h"
#include "cluster/Routing.h"
#include "domain/ApiError.h"
#include "domain/Session.h"
#include "mcp/Schemas.h"
#include "mcp/Tools.h"
#include "spawn/Spawner.h"

#include <Poco/JSON/Stringifier.h>
#include <sstream>

namespace maestro::host::mcp {

namespace {

using namespace std::string_literals;

} // namespace

std::vector<Tool> sessionTools() {
    std::vector<Tool> tools;
    tools.push_back(
        {"session_list", "List sessions",
         "Agent sessions of a project (default: the calling session's), optionally of one task, "
         "by status, or only the live ones.",
         R"({"type":"object","properties":{"projectId":{"type":"string"},"taskId":{"type":"string"},)"
         R"("status":{"type":"string","enum":["spawning","running","idle","working","completed",)"
         R"("failed","stopped","lost"]},"active":{"type":"boolean"}},"additionalProperties":false})",
         schema::listOf("sessions"), true, [](ToolCall& call) {
             const auto& args = call.arguments();
             store::SessionFilter filter;
             filter.projectId = call.projectId();
             filter.taskId = args.optString("taskId", 128);
             if (auto status = args.optString("status"))
                 filter.status = domain::parseSessionStatus(*status);
             filter.liveOnly = args.optBool("active").value_or(false);
             return schema::listJson("sessions", call.env().services.sessions.list(filter, {}));
         }});
    tools.push_back(
        {"session_spawn", "Spawn a session",
         "Starts an agent session on tasks (default: the calling session's task), as a worker "
         "or an orchestrator; the calling session becomes its parent.",
         R"({"type":"object","properties":{"taskIds":{"type":"array","items":{"type":"string"},)"
         R"("minItems":1},"role":{"type":"string","enum":["worker","orchestrator"]},)"
         R"("agent":{"type":"string","description":"Agent profile; default: the server's"},)"
         R"("name":{"type":"string"}},"additionalProperties":false})",
         R"({"type":"object","properties":{"success":{"type":"boolean"},)"
         R"("sessionId":{"type":"string"},"briefFile":{"type":"string"},)"s +
             R"("session":)" + std::string(schema::kSession) +
             R"(},"required":["sessionId","session"]})",
         false, [](ToolCall& call) {
             auto body = call.body({});
             if (!body->has("taskIds")) {
                 Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
                 ids->add(call.taskId());
                 body->set("taskIds", ids);
             }
             auto request = domain::parseSpawnRequest(domain::JsonInput(body));
             request.parentSessionId = call.session();
             if (auto target = call.env().routing.spawnTarget(request)) {
                 // For another node (its project is pinned there): it runs the spawn.
                 if (call.session()) body->set("parentSessionId", *call.session());
                 std::ostringstream text;
                 Poco::JSON::Stringifier::stringify(body, text);
                 return call.env()
                     .peers
                     .send(target->id, target->url, "POST", "/api/sessions/spawn", text.str(),
                           cluster::kSlowRequestTimeout)
                     .bodyOrThrow();
             }
             return call.env().spawner.spawn(request);
         }});
    return tools;
}

} // namespace maestro::host::mcp
