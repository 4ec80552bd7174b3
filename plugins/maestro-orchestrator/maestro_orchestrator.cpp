// maestro-orchestrator: the orchestrator's brief (as a prompt template and as
// `maestro orchestrator init`) and `maestro orchestrator plan`, a view of the task tree.
#include "task_context.hpp"

#include <maestro/skill.hpp>
#include <map>

namespace {

using namespace maestro::skill;
using maestro::plugins::toJson;

constexpr const char* kOrchestratorBrief = R"(# Orchestrate: {{task.title}}

You are the Maestro **orchestrator** for task `{{task.id}}` (status {{task.status}}, priority {{task.priority}}).
Your job: split it into subtasks, spawn one worker per subtask, follow them, unblock them, and
complete the task when every subtask is done. You coordinate; workers write the code.
{{#project.name}}
Project: {{project.name}}{{#project.workingDir}}, working directory `{{project.workingDir}}`{{/project.workingDir}}.
{{/project.name}}
{{#task.description}}

## The task

{{task.description}}
{{/task.description}}

## Current plan

{{#subtasks}}
- [{{status}}] `{{id}}` {{title}}{{#blockedReason}} (blocked: {{blockedReason}}){{/blockedReason}}{{#sessionIds.length}} (sessions:{{#sessionIds}} `{{.}}`{{/sessionIds}}){{/sessionIds.length}}{{^sessionIds}} (no worker yet){{/sessionIds}}
{{/subtasks}}
{{^subtasks}}
No subtasks yet.
{{/subtasks}}

## How to orchestrate

1. `maestro orchestrator init` prints this brief again and marks the task in progress;
   `maestro orchestrator plan` shows the task tree with each subtask's status and sessions.
2. Split the work: `maestro subtask add "TITLE" --task {{task.id}}` for each independent piece
   (`maestro subtask update SUBTASK …`, `maestro subtask reorder`, `maestro subtask delete SUBTASK`).
3. Spawn a worker per subtask:
   `maestro session spawn --task SUBTASK --role worker [--name NAME] [--agent PROFILE]`.
   The worker receives its brief and `$MAESTRO_TASK_ID`; this session becomes its parent.
4. Follow them: `maestro events --follow` streams every change live; `maestro status` summarises
   counts, blocked tasks with their reasons and live sessions; `maestro session list`,
   `maestro session logs SESSION` show what a worker did.
5. A blocked worker: read the reason (`maestro task get SUBTASK`), provide what it needs, then
   `maestro task unblock SUBTASK`. Report your own state with `maestro report progress "…"`.
6. Workers of a git project each work on a branch of their own, in their own worktree. Review a
   worker's work with `maestro session changes SESSION` and `maestro session diff SESSION`;
   when it is done, `maestro session merge SESSION` merges it into the base branch (a conflict or
   uncommitted edits in the checkout refuse the merge and change nothing), and
   `maestro session discard SESSION` throws it away. Two workers changing the same files are
   announced as an overlap (`maestro session changes` names the other session): split their work
   before they collide.
7. When every subtask is completed and checked: `maestro task complete {{task.id}}`, then
   `maestro report complete "summary"`.
{{#session.worktree}}

You too work on a branch of your own, `{{branch}}` in `{{path}}`; commit there what you change.
{{/session.worktree}}

Add `--json` to any command for one JSON document on stdout.
)";

constexpr const char* kPlanView = R"({{task.title}} `{{task.id}}` [{{task.status}}]
{{#task.blockedReason}}
  blocked: {{task.blockedReason}}
{{/task.blockedReason}}
{{#subtasks}}
  - [{{status}}] {{id}}  {{title}}{{#blockedReason}}  (blocked: {{blockedReason}}){{/blockedReason}}{{#sessionIds.length}}  sessions:{{#sessionIds}} {{.}}{{/sessionIds}}{{/sessionIds.length}}{{^sessionIds}}  no session{{/sessionIds}}
{{/subtasks}}
{{^subtasks}}
  (no subtasks yet: maestro subtask add "TITLE" --task {{task.id}})
{{/subtasks}}
{{counts.total}} subtasks: {{counts.completed}} completed, {{counts.in_progress}} in progress, {{counts.blocked}} blocked, {{counts.todo}} to do, {{counts.withSession}} with a session
)";

// Adds {total, todo, in_progress, blocked, completed, cancelled, withSession} for the plan view.
void addCounts(Poco::JSON::Object& context) {
    std::map<std::string, int> counts{{"todo", 0},      {"in_progress", 0}, {"blocked", 0},
                                      {"completed", 0}, {"cancelled", 0},   {"withSession", 0}};
    const auto subtasks = context.getArray("subtasks");
    for (std::size_t i = 0; subtasks && i < subtasks->size(); ++i) {
        const auto subtask = subtasks->getObject(static_cast<unsigned>(i));
        if (!subtask) continue;
        ++counts[maestro::plugins::stringOr(subtask, "status")];
        const auto sessions = subtask->getArray("sessionIds");
        if (sessions && sessions->size() > 0) ++counts["withSession"];
    }
    Poco::JSON::Object::Ptr json(new Poco::JSON::Object);
    for (const auto& [key, value] : counts)
        json->set(key, value);
    json->set("total", subtasks ? static_cast<int>(subtasks->size()) : 0);
    context.set("counts", json);
}

int runPlan(const Host& host, const CommandCall& call) {
    return maestro::plugins::guardCommand(call, [&] {
        const auto sessionContext = maestro::plugins::parseObjectOrEmpty(call.contextJson);
        const std::string taskId = maestro::plugins::resolveTaskId(call, sessionContext);
        Poco::JSON::Object::Ptr context =
            maestro::plugins::fetchBrief(host, "orchestrator", taskId, sessionContext)
                ->getObject("context");
        addCounts(*context);
        call.out << host.render(kPlanView, toJson(context));
        return kExitOk;
    });
}

class MaestroOrchestrator {
public:
    MaestroOrchestrator(const Host& host, Registrar& registrar) {
        const std::vector<CommandOption> taskArgument{
            {"TASK", "", "the task (default: $MAESTRO_TASK_ID)", false}};
        registrar.command("orchestrator init",
                          "Print the orchestrator brief for your task and mark it in progress",
                          taskArgument, [host](const CommandCall& call) {
                              return maestro::plugins::runInitCommand(host, call, "orchestrator");
                          });
        registrar.command(
            "orchestrator plan", "Show the task tree: subtasks, their status and their sessions",
            taskArgument, [host](const CommandCall& call) { return runPlan(host, call); });
        registrar.textTemplate("orchestrator-brief", {"orchestrator"}, kOrchestratorBrief);
    }
};

} // namespace

MAESTRO_SKILL(MaestroOrchestrator, "maestro-orchestrator", "1.0.0")
