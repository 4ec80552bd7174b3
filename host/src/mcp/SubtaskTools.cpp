#include "domain/Task.h"
#include "mcp/Schemas.h"
#include "mcp/Tools.h"

namespace maestro::host::mcp {

namespace {

using namespace std::string_literals;

std::string withTaskId(std::string_view properties, std::string_view required = {}) {
    std::string out = R"({"type":"object","properties":{)"s + std::string(schema::kTaskIdArgument);
    if (!properties.empty()) out += "," + std::string(properties);
    out += "}";
    if (!required.empty()) out += R"(,"required":)" + std::string(required);
    return out + R"(,"additionalProperties":false})";
}

} // namespace

std::vector<Tool> subtaskTools() {
    std::vector<Tool> tools;
    tools.push_back({"subtask_list", "List subtasks",
                     "The subtasks of a task (default: the calling session's), in their order.",
                     withTaskId({}), schema::listOf("subtasks"), true, [](ToolCall& call) {
                         return schema::listJson(
                             "subtasks", call.env().services.tasks.listSubtasks(call.taskId(), {}));
                     }});
    tools.push_back(
        {"subtask_add", "Add a subtask", "A new subtask at the end of a task's subtasks.",
         withTaskId(R"("title":{"type":"string","minLength":1},"description":{"type":"string"},)"
                    R"("priority":{"type":"string","enum":["low","medium","high"]})",
                    R"(["title"])"),
         std::string(schema::kTask), false, [](ToolCall& call) {
             return call.env().services.tasks.createSubtask(
                 call.taskId(), domain::parseTaskDraft(domain::JsonInput(call.body({"taskId"})),
                                                       domain::DraftKind::Subtask));
         }});
    tools.push_back({"subtask_complete", "Complete a subtask",
                     "Checks a subtask off (or, with completed false, reopens it).",
                     withTaskId(R"("subtaskId":{"type":"string"},"completed":{"type":"boolean"})",
                                R"(["subtaskId"])"),
                     std::string(schema::kTask), false, [](ToolCall& call) {
                         domain::TaskPatch patch;
                         patch.completed = call.arguments().optBool("completed").value_or(true);
                         return call.env().services.tasks.updateSubtask(
                             call.taskId(), call.arguments().requiredString("subtaskId", 128),
                             patch, std::nullopt);
                     }});
    tools.push_back(
        {"subtask_reorder", "Reorder subtasks",
         "Puts a task's subtasks in the order given; the list names every subtask once.",
         withTaskId(R"("order":{"type":"array","items":{"type":"string"},"minItems":1})",
                    R"(["order"])"),
         schema::listOf("subtasks"), false, [](ToolCall& call) {
             auto order = call.arguments()
                              .optStringArray("order", 10000)
                              .value_or(std::vector<std::string>{});
             store::JsonPage page;
             page.items = call.env().services.tasks.reorderSubtasks(call.taskId(), order);
             page.total = static_cast<std::int64_t>(page.items.size());
             return schema::listJson("subtasks", page);
         }});
    return tools;
}

} // namespace maestro::host::mcp
