// maestro subtask list|add|update|complete|delete|reorder
#include "commands/Choices.h"
#include "commands/Commands.h"
#include "commands/Render.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <memory>

namespace maestro::cli::commands {

namespace {

enum class SubtaskAction { List, Add, Update, Complete, Delete, Reorder };

struct SubtaskOptions {
    std::string task; // the parent
    std::string subtask;
    std::string title;
    std::string description;
    std::string priority;
    std::string status;
    bool undo = false;
    std::vector<std::string> order;
};

const std::vector<std::string> kPriorities = choices(domain::kAllPriorities);
// A subtask is not blocked from here: blocking takes a reason (`maestro task block`).
const std::vector<std::string> kStatuses = choices(std::initializer_list<domain::TaskStatus>{
    domain::TaskStatus::Todo, domain::TaskStatus::InProgress, domain::TaskStatus::Completed,
    domain::TaskStatus::Cancelled});

std::string subtasksPath(const std::string& parent) {
    return "/api/tasks/" + pathSegment(parent) + "/subtasks";
}

// The parent of a subtask: --task, else $MAESTRO_TASK_ID, else the subtask's own parentId.
std::string parentOf(const SubtaskOptions& o, Invocation& inv, const std::string& subtask) {
    if (!o.task.empty() || !inv.env().taskId.empty()) return inv.taskOrDefault(o.task);
    auto task = json::parseObject(inv.api().get("/api/tasks/" + pathSegment(subtask)).body);
    auto parent = json::text(task, "parentId");
    if (parent.empty())
        throw CliError(kExitRefused, "not_a_subtask",
                       subtask + " is a top-level task, not a subtask");
    return parent;
}

Result subtaskResult(const std::string& body, const std::string& verb) {
    auto subtask = json::parseObject(body);
    return Result{body,
                  [subtask, verb](TextOut& out) { render::taskLine(out, verb, subtask); },
                  {json::text(subtask, "id")}};
}

Result listResult(const std::string& body) {
    auto subtasks = json::parseArray(body);
    return Result{body, [subtasks](TextOut& out) { render::taskTable(out, subtasks); },
                  render::ids(subtasks)};
}

Result updateSubtask(const SubtaskOptions& o, Invocation& inv) {
    if (o.title.empty() && o.description.empty() && o.priority.empty() && o.status.empty())
        throw CliError::usage("nothing to update: give --title, --desc, --priority or --status");
    if (!o.title.empty()) checkText(o.title, "the title");
    const auto parent = parentOf(o, inv, o.subtask);
    maestro::json::Writer body;
    body.beginObject();
    if (!o.title.empty()) body.field("title", o.title);
    if (!o.description.empty()) body.field("description", o.description);
    if (!o.priority.empty()) body.field("priority", o.priority);
    if (!o.status.empty()) body.field("status", o.status);
    body.endObject();
    return subtaskResult(
        inv.api().patch(subtasksPath(parent) + "/" + pathSegment(o.subtask), body.take()).body,
        "Updated");
}

Result runSubtask(SubtaskAction action, const SubtaskOptions& o, Invocation& inv) {
    switch (action) {
    case SubtaskAction::List:
        return listResult(
            inv.api().get(subtasksPath(inv.taskOrDefault(o.task)) + "?limit=1000").body);
    case SubtaskAction::Add: {
        checkText(o.title, "the title");
        const auto parent = inv.taskOrDefault(o.task);
        maestro::json::Writer body;
        body.beginObject().field("title", o.title);
        if (!o.description.empty()) body.field("description", o.description);
        if (!o.priority.empty()) body.field("priority", o.priority);
        body.endObject();
        return subtaskResult(inv.api().post(subtasksPath(parent), body.take()).body, "Added");
    }
    case SubtaskAction::Reorder: {
        for (const auto& id : o.order)
            checkId(id, "subtask");
        const auto parent = inv.taskOrDefault(o.task);
        maestro::json::Writer body;
        body.beginObject().stringArray("order", o.order).endObject();
        return listResult(
            inv.api().postAction(subtasksPath(parent) + "/reorder", body.take()).body);
    }
    default:
        break;
    }
    checkId(o.subtask, "subtask");
    switch (action) {
    case SubtaskAction::Update:
        return updateSubtask(o, inv);
    case SubtaskAction::Complete: {
        const auto parent = parentOf(o, inv, o.subtask);
        maestro::json::Writer body;
        body.beginObject().field("completed", !o.undo).endObject();
        return subtaskResult(
            inv.api().patch(subtasksPath(parent) + "/" + pathSegment(o.subtask), body.take()).body,
            o.undo ? "Reopened" : "Completed");
    }
    case SubtaskAction::Delete: {
        const auto parent = parentOf(o, inv, o.subtask);
        return deletedResult(
            inv.api().del(subtasksPath(parent) + "/" + pathSegment(o.subtask)).body, o.subtask);
    }
    default:
        break;
    }
    throw CliError::internal("unhandled subtask command");
}

} // namespace

void setupSubtask(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<SubtaskOptions>();
    CLI::App* group = addGroup(app, "subtask", "Split a task into subtasks");
    const auto add = [&](const char* name, const char* summary, SubtaskAction action) {
        return table.add(*group, name, summary, kServer,
                         [o, action](Invocation& inv) { return runSubtask(action, *o, inv); });
    };
    const auto parentOption = [&o](CLI::App* command) {
        command->add_option("--task", o->task, "Parent task (default $MAESTRO_TASK_ID)")
            ->type_name("TASK");
    };
    const auto subtaskArgument = [&o](CLI::App* command) {
        command->add_option("SUBTASK", o->subtask, "Subtask id")->required();
    };

    add("list", "List a task's subtasks in order", SubtaskAction::List)
        ->add_option("TASK", o->task, "Parent task (default $MAESTRO_TASK_ID)");

    auto* addCommand = add("add", "Add a subtask", SubtaskAction::Add);
    addCommand->add_option("TITLE", o->title, "Title")->required();
    parentOption(addCommand);
    addCommand->add_option("--desc,--description", o->description, "Description")
        ->type_name("TEXT");
    addCommand->add_option("--priority", o->priority, "Priority")
        ->check(CLI::IsMember(kPriorities));

    auto* update = add("update", "Change a subtask", SubtaskAction::Update);
    subtaskArgument(update);
    parentOption(update);
    update->add_option("--title", o->title, "New title");
    update->add_option("--desc,--description", o->description, "New description")
        ->type_name("TEXT");
    update->add_option("--priority", o->priority, "New priority")
        ->check(CLI::IsMember(kPriorities));
    update->add_option("--status", o->status, "New status (block the subtask with 'task block')")
        ->check(CLI::IsMember(kStatuses));

    auto* complete = add("complete", "Tick a subtask off", SubtaskAction::Complete);
    subtaskArgument(complete);
    parentOption(complete);
    complete->add_flag("--undo", o->undo, "Reopen it instead");

    auto* remove = add("delete", "Delete a subtask (and its own subtasks)", SubtaskAction::Delete);
    subtaskArgument(remove);
    parentOption(remove);

    auto* reorder = add("reorder", "Put a task's subtasks in this order", SubtaskAction::Reorder);
    reorder->add_option("SUBTASK", o->order, "Every subtask id, in the new order")->required();
    parentOption(reorder);
}

} // namespace maestro::cli::commands
