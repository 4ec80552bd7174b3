#include "domain/ApiError.h"
#include "domain/Task.h"
#include "domain/Timeline.h"
#include "mcp/Schemas.h"
#include "mcp/Tools.h"

namespace maestro::host::mcp {

namespace {

using namespace std::string_literals;

constexpr std::string_view kStatusEnum =
    R"({"type":"string","enum":["todo","in_progress","blocked","completed","cancelled"]})";
constexpr std::string_view kPriorityEnum = R"({"type":"string","enum":["low","medium","high"]})";

std::string patchTask(ToolCall& call, const domain::TaskPatch& patch) {
    return call.env().services.tasks.update(call.taskId(), patch, std::nullopt);
}

} // namespace

std::vector<Tool> taskTools() {
    std::vector<Tool> tools;
    tools.push_back(
        {"task_list", "List tasks",
         "Tasks of a project (default: the calling session's), optionally by status or parent.",
         R"({"type":"object","properties":{"projectId":{"type":"string"},"status":)"s +
             std::string(kStatusEnum) +
             R"(,"parentId":{"type":"string","description":"Only this task's children"},)"
             R"("rootsOnly":{"type":"boolean","description":"Only top-level tasks"},)"
             R"("limit":{"type":"integer","minimum":1,"maximum":1000},)"
             R"("offset":{"type":"integer","minimum":0}},"additionalProperties":false})",
         schema::listOf("tasks"), true, [](ToolCall& call) {
             const auto& args = call.arguments();
             store::TaskFilter filter;
             filter.projectId = call.projectId();
             if (auto status = args.optString("status"))
                 filter.status = domain::parseTaskStatus(*status);
             if (auto parent = args.optString("parentId", 128))
                 filter.parentId = std::optional<std::string>{*parent};
             else if (args.optBool("rootsOnly").value_or(false))
                 filter.parentId = std::optional<std::string>{};
             store::Page page;
             page.limit = args.optInteger("limit").value_or(store::Page::kMaxLimit);
             page.offset = args.optInteger("offset").value_or(0);
             return schema::listJson("tasks", call.env().services.tasks.list(filter, page));
         }});
    tools.push_back({"task_get", "Get a task",
                     "One task with its timeline (default: the calling session's task).",
                     R"({"type":"object","properties":{)"s + std::string(schema::kTaskIdArgument) +
                         R"(},"additionalProperties":false})",
                     std::string(schema::kTask), true,
                     [](ToolCall& call) { return call.env().services.tasks.get(call.taskId()); }});
    tools.push_back(
        {"task_create", "Create a task",
         "A new task in a project (default: the calling session's); with parentId, a subtask.",
         R"({"type":"object","properties":{"title":{"type":"string","minLength":1},)"
         R"("description":{"type":"string"},"priority":)"s +
             std::string(kPriorityEnum) +
             R"(,"projectId":{"type":"string"},"parentId":{"type":"string"},)"
             R"("dependencies":{"type":"array","items":{"type":"string"}}},)"
             R"("required":["title"],"additionalProperties":false})",
         std::string(schema::kTask), false, [](ToolCall& call) {
             auto body = call.body({});
             if (!body->has("projectId")) {
                 // A child is in its parent's project; a task, in the calling session's.
                 std::optional<std::string> project;
                 if (auto parent = call.arguments().optString("parentId", 128))
                     project = call.env().services.tasks.find(*parent).projectId;
                 else
                     project = call.projectId();
                 if (!project)
                     throw domain::ApiError::invalidField(
                         "projectId", "is required when the request names no Maestro session");
                 body->set("projectId", *project);
             }
             return call.env().services.tasks.create(
                 domain::parseTaskDraft(domain::JsonInput(body), domain::DraftKind::Task));
         }});
    tools.push_back(
        {"task_update", "Update a task",
         "Changes a task's title, description, priority or status. Blocking takes a reason in "
         "blockedReason.",
         R"({"type":"object","properties":{)"s + std::string(schema::kTaskIdArgument) +
             R"(,"title":{"type":"string","minLength":1},"description":{"type":"string"},)"
             R"("priority":)" +
             std::string(kPriorityEnum) + R"(,"status":)" + std::string(kStatusEnum) +
             R"(,"blockedReason":{"type":"string","minLength":1}},"additionalProperties":false})",
         std::string(schema::kTask), false, [](ToolCall& call) {
             return patchTask(call,
                              domain::parseTaskPatch(domain::JsonInput(call.body({"taskId"}))));
         }});
    tools.push_back({"task_complete", "Complete a task", "Marks the task completed.",
                     R"({"type":"object","properties":{)"s + std::string(schema::kTaskIdArgument) +
                         R"(},"additionalProperties":false})",
                     std::string(schema::kTask), false, [](ToolCall& call) {
                         domain::TaskPatch patch;
                         patch.status = domain::TaskStatus::Completed;
                         return patchTask(call, patch);
                     }});
    tools.push_back({"task_block", "Block a task", "Marks the task blocked, saying why.",
                     R"({"type":"object","properties":{)"s + std::string(schema::kTaskIdArgument) +
                         R"(,"reason":{"type":"string","minLength":1}},"required":["reason"],)"
                         R"("additionalProperties":false})",
                     std::string(schema::kTask), false, [](ToolCall& call) {
                         domain::TaskPatch patch;
                         patch.status = domain::TaskStatus::Blocked;
                         patch.blockedReason = call.arguments().requiredString("reason", 4096);
                         return patchTask(call, patch);
                     }});
    tools.push_back(
        {"task_unblock", "Unblock a task",
         "Takes a blocked task back to work: in_progress if it was ever started, else todo "
         "(or the status given). A task that is not blocked is returned unchanged.",
         R"({"type":"object","properties":{)"s + std::string(schema::kTaskIdArgument) +
             R"(,"status":{"type":"string","enum":["todo","in_progress"]}},)"
             R"("additionalProperties":false})",
         std::string(schema::kTask), false, [](ToolCall& call) {
             auto& tasks = call.env().services.tasks;
             auto task = tasks.find(call.taskId());
             if (task.status != domain::TaskStatus::Blocked) return tasks.get(task.id);
             domain::TaskPatch patch;
             if (auto status = call.arguments().optString("status"))
                 patch.status = domain::parseTaskStatus(*status);
             else
                 patch.status =
                     task.startedAt ? domain::TaskStatus::InProgress : domain::TaskStatus::Todo;
             return tasks.update(task.id, patch, std::nullopt);
         }});
    return tools;
}

} // namespace maestro::host::mcp
