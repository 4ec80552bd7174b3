// maestro task list|create|get|update|start|complete|block|unblock|delete|tree
#include "commands/Choices.h"
#include "commands/Commands.h"
#include "commands/Render.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <memory>
#include <set>
#include <sstream>

namespace maestro::cli::commands {

namespace {

enum class TaskAction { List, Create, Get, Update, Start, Complete, Block, Unblock, Delete, Tree };

struct TaskOptions {
    std::string task;
    std::string title;
    std::string description;
    std::string priority;
    std::string status;
    std::string parent;
    std::string reason;
    bool roots = false;
    int limit = 0;
    int offset = 0;
};

const std::vector<std::string> kStatuses = choices(domain::kAllTaskStatuses);
const std::vector<std::string> kPriorities = choices(domain::kAllPriorities);
constexpr int kMaxDepth = 64;

std::string taskPath(const std::string& id) {
    return "/api/tasks/" + pathSegment(id);
}

Result taskResult(const std::string& body, const std::string& verb) {
    auto task = json::parseObject(body);
    return Result{body,
                  [task, verb](TextOut& out) {
                      if (verb.empty())
                          render::taskDetail(out, task);
                      else
                          render::taskLine(out, verb, task);
                  },
                  {json::text(task, "id")}};
}

Result patchTask(Invocation& inv, const std::string& id, const std::string& body,
                 const std::string& verb) {
    return taskResult(inv.api().patch(taskPath(id), body).body, verb);
}

std::string statusBody(std::string_view status, const std::string& reason = {}) {
    maestro::json::Writer body;
    body.beginObject().field("status", status);
    if (!reason.empty()) body.field("blockedReason", reason);
    return body.endObject().take();
}

Result listTasks(const TaskOptions& o, Invocation& inv) {
    Query query;
    query.addOptional("projectId", inv.optionalProject());
    if (!o.status.empty()) query.add("status", o.status);
    if (!o.parent.empty()) checkId(o.parent, "parent task");
    if (!o.parent.empty())
        query.add("parentId", o.parent);
    else if (o.roots)
        query.add("parentId", "null");
    if (o.limit > 0) query.add("limit", std::to_string(o.limit));
    if (o.offset > 0) query.add("offset", std::to_string(o.offset));
    auto response = inv.api().get("/api/tasks" + query.str());
    auto tasks = json::parseArray(response.body);
    return Result{response.body, [tasks](TextOut& out) { render::taskTable(out, tasks); },
                  render::ids(tasks)};
}

Result createTask(const TaskOptions& o, Invocation& inv) {
    checkText(o.title, "the title");
    if (!o.parent.empty()) checkId(o.parent, "parent task");
    maestro::json::Writer body;
    body.beginObject();
    // Without a project a child is created through its parent, whose project it inherits.
    const bool underParent = !o.parent.empty() && inv.project().empty();
    if (!underParent) body.field("projectId", inv.requireProject());
    if (!o.parent.empty() && !underParent) body.field("parentId", o.parent);
    body.field("title", o.title);
    if (!o.description.empty()) body.field("description", o.description);
    if (!o.priority.empty()) body.field("priority", o.priority);
    body.endObject();
    const std::string path = underParent ? taskPath(o.parent) + "/subtasks" : "/api/tasks";
    return taskResult(inv.api().post(path, body.take()).body, "Created");
}

Result updateTask(const TaskOptions& o, Invocation& inv, const std::string& id) {
    if (!o.reason.empty() && o.status != "blocked")
        throw CliError::usage("--reason goes with --status blocked");
    if (o.title.empty() && o.description.empty() && o.priority.empty() && o.status.empty())
        throw CliError::usage("nothing to update: give --title, --desc, --priority or --status");
    if (o.status == "blocked") checkText(o.reason, "--reason (with --status blocked)");
    if (!o.title.empty()) checkText(o.title, "the title");
    maestro::json::Writer body;
    body.beginObject();
    if (!o.title.empty()) body.field("title", o.title);
    if (!o.description.empty()) body.field("description", o.description);
    if (!o.priority.empty()) body.field("priority", o.priority);
    if (!o.status.empty()) body.field("status", o.status);
    if (!o.reason.empty()) body.field("blockedReason", o.reason);
    body.endObject();
    return patchTask(inv, id, body.take(), "Updated");
}

// Unblocking returns a task to work: in_progress if it had been started, todo otherwise,
// unless --status says which.
Result unblockTask(const TaskOptions& o, Invocation& inv, const std::string& id) {
    std::string status = o.status;
    if (status.empty()) {
        auto current = json::parseObject(inv.api().get(taskPath(id)).body);
        if (json::text(current, "status") != "blocked") {
            auto body = json::stringify(current);
            return taskResult(body, "Not blocked:");
        }
        status = json::integer(current, "startedAt") ? "in_progress" : "todo";
    }
    return patchTask(inv, id, statusBody(status), "Unblocked");
}

// The task with its subtasks, recursively, each under "subtasks".
json::Object fetchTree(Invocation& inv, const std::string& id, json::Object node, int depth,
                       std::set<std::string>& seen) {
    seen.insert(id);
    json::Array children(new Poco::JSON::Array);
    if (depth < kMaxDepth) {
        auto list = json::parseArray(inv.api().get(taskPath(id) + "/subtasks?limit=1000").body);
        for (std::size_t i = 0; i < json::size(list); ++i) {
            auto child = json::objectAt(list, i);
            auto childId = json::text(child, "id");
            if (childId.empty() || seen.count(childId)) continue;
            children->add(fetchTree(inv, childId, child, depth + 1, seen));
        }
    }
    node->set("subtasks", children);
    return node;
}

void renderTree(TextOut& out, const json::Object& node, const std::string& prefix, bool root,
                bool last, std::vector<std::string>& ids) {
    const auto& style = out.style();
    std::string line = root ? "" : prefix + (last ? "└── " : "├── ");
    line += json::text(node, "title") + "  [" + style.status(json::text(node, "status")) + "]  " +
            style.paint(json::text(node, "id"), Colour::Dim);
    if (auto reason = json::text(node, "blockedReason"); !reason.empty())
        line += "  " + style.paint("blocked: " + reason, Colour::Red);
    out.line(line);
    ids.push_back(json::text(node, "id"));
    auto children = json::array(node, "subtasks");
    const std::string childPrefix = root ? "" : prefix + (last ? "    " : "│   ");
    for (std::size_t i = 0; i < json::size(children); ++i)
        renderTree(out, json::objectAt(children, i), childPrefix, false,
                   i + 1 == json::size(children), ids);
}

Result treeOf(Invocation& inv, const std::string& id) {
    std::set<std::string> seen;
    auto root = fetchTree(inv, id, json::parseObject(inv.api().get(taskPath(id)).body), 0, seen);
    std::vector<std::string> ids;
    {
        // The -q rendering lists every id of the tree.
        std::ostringstream sink;
        TextOut quiet(sink, Style(false));
        renderTree(quiet, root, "", true, true, ids);
    }
    return Result{json::stringify(root),
                  [root](TextOut& out) {
                      std::vector<std::string> unused;
                      renderTree(out, root, "", true, true, unused);
                  },
                  ids};
}

Result runTask(TaskAction action, const TaskOptions& o, Invocation& inv) {
    switch (action) {
    case TaskAction::List:
        return listTasks(o, inv);
    case TaskAction::Create:
        return createTask(o, inv);
    default:
        break;
    }
    const std::string id = inv.taskOrDefault(o.task);
    switch (action) {
    case TaskAction::Get:
        return taskResult(inv.api().get(taskPath(id)).body, "");
    case TaskAction::Update:
        return updateTask(o, inv, id);
    case TaskAction::Start:
        return patchTask(inv, id, statusBody("in_progress"), "Started");
    case TaskAction::Complete:
        return patchTask(inv, id, statusBody("completed"), "Completed");
    case TaskAction::Block:
        checkText(o.reason, "--reason");
        return patchTask(inv, id, statusBody("blocked", o.reason), "Blocked");
    case TaskAction::Unblock:
        return unblockTask(o, inv, id);
    case TaskAction::Delete: {
        return deletedResult(inv.api().del(taskPath(id)).body, id);
    }
    case TaskAction::Tree:
        return treeOf(inv, id);
    default:
        break;
    }
    throw CliError::internal("unhandled task command");
}

} // namespace

void setupTask(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<TaskOptions>();
    CLI::App* group = addGroup(app, "task", "Create, change and inspect tasks");
    const auto add = [&](const char* name, const char* summary, TaskAction action, Needs needs) {
        return table.add(*group, name, summary, needs,
                         [o, action](Invocation& inv) { return runTask(action, *o, inv); });
    };
    const auto taskArgument = [&o](CLI::App* command) {
        command->add_option("TASK", o->task, "Task id (default $MAESTRO_TASK_ID)");
    };

    auto* list =
        add("list", "List tasks (of the project, when one is set)", TaskAction::List, kServer);
    list->add_option("--status", o->status, "Only tasks with this status")
        ->check(CLI::IsMember(kStatuses));
    list->add_option("--parent", o->parent, "Only the subtasks of this task")->type_name("TASK");
    list->add_flag("--roots", o->roots, "Only top-level tasks");
    list->add_option("--limit", o->limit, "At most N tasks (server maximum 1000)")
        ->check(CLI::Range(1, 1000));
    list->add_option("--offset", o->offset, "Skip the first N")->check(CLI::NonNegativeNumber);

    auto* create = add("create", "Create a task", TaskAction::Create, kServer);
    create->add_option("TITLE", o->title, "Title")->required();
    create->add_option("--desc,--description", o->description, "Description")->type_name("TEXT");
    create->add_option("--priority", o->priority, "Priority")->check(CLI::IsMember(kPriorities));
    create->add_option("--parent", o->parent, "Make it a subtask of TASK")->type_name("TASK");

    taskArgument(add("get", "Show a task", TaskAction::Get, kServer));

    auto* update = add("update", "Change a task's fields", TaskAction::Update, kServer);
    taskArgument(update);
    update->add_option("--title", o->title, "New title");
    update->add_option("--desc,--description", o->description, "New description")
        ->type_name("TEXT");
    update->add_option("--priority", o->priority, "New priority")
        ->check(CLI::IsMember(kPriorities));
    update->add_option("--status", o->status, "New status")->check(CLI::IsMember(kStatuses));
    update->add_option("--reason", o->reason, "Why it is blocked (with --status blocked)")
        ->type_name("TEXT");

    taskArgument(add("start", "Mark a task in progress", TaskAction::Start, kServer));
    taskArgument(add("complete", "Mark a task completed", TaskAction::Complete, kServer));

    auto* block = add("block", "Mark a task blocked, with the reason", TaskAction::Block, kServer);
    taskArgument(block);
    block->add_option("--reason", o->reason, "What it is waiting for")
        ->type_name("TEXT")
        ->required();

    auto* unblock =
        add("unblock", "Clear the block: back to in_progress if it was started, else todo",
            TaskAction::Unblock, kServer);
    taskArgument(unblock);
    unblock->add_option("--status", o->status, "Status to return to")
        ->check(CLI::IsMember(choices(std::initializer_list<domain::TaskStatus>{
            domain::TaskStatus::Todo, domain::TaskStatus::InProgress})));

    taskArgument(add("delete", "Delete a task and its subtasks", TaskAction::Delete, kServer));
    taskArgument(
        add("tree", "Show a task with its subtasks, recursively", TaskAction::Tree, kServer));
}

} // namespace maestro::cli::commands
