#include "domain/Task.h"
#include "domain/Timeline.h"
#include "mcp/Schemas.h"
#include "mcp/Tools.h"

namespace maestro::host::mcp {

namespace {

using namespace std::string_literals;

// A report on a task: on the calling session's timeline (which notes it on the task too), or,
// when the request names no session, on the task's own timeline.
std::string report(ToolCall& call, std::string type, std::string message) {
    auto& services = call.env().services;
    auto taskId = call.taskId();
    domain::TimelineDraft entry;
    entry.type = std::move(type);
    entry.message = std::move(message);
    if (call.session()) {
        entry.taskId = taskId;
        services.sessions.addTimeline(*call.session(), std::move(entry));
        return services.tasks.get(taskId);
    }
    return services.tasks.addTimeline(taskId, std::move(entry));
}

} // namespace

std::vector<Tool> reportTools() {
    std::vector<Tool> tools;
    tools.push_back(
        {"report_progress", "Report progress",
         "Tells Maestro how the work on a task is going; it appears on the task's timeline (and "
         "the calling session's).",
         R"({"type":"object","properties":{)"s + std::string(schema::kTaskIdArgument) +
             R"(,"message":{"type":"string","minLength":1}},"required":["message"],)"
             R"("additionalProperties":false})",
         std::string(schema::kTask), false, [](ToolCall& call) {
             return report(call, "progress", call.arguments().requiredString("message", 16384));
         }});
    tools.push_back(
        {"report_needs_input", "Ask for input",
         "Says the work on a task waits for a person's answer: the question goes on the "
         "timeline and the task's sessionStatus becomes needs_input.",
         R"({"type":"object","properties":{)"s + std::string(schema::kTaskIdArgument) +
             R"(,"question":{"type":"string","minLength":1}},"required":["question"],)"
             R"("additionalProperties":false})",
         std::string(schema::kTask), false, [](ToolCall& call) {
             auto question = call.arguments().requiredString("question", 16384);
             domain::TaskPatch waiting;
             waiting.sessionStatus = "needs_input";
             waiting.bySession = call.session();
             call.env().services.tasks.update(call.taskId(), waiting, std::nullopt);
             return report(call, "needs_input", std::move(question));
         }});
    return tools;
}

} // namespace maestro::host::mcp
