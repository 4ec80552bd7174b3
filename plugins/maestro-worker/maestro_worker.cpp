// maestro-worker: the worker's brief (as a prompt template and as `maestro worker init`).
#include "task_context.hpp"

#include <maestro/skill.hpp>

namespace {

using namespace maestro::skill;

// Rendered by the host with the template context (docs/skills.md). Keep "{{" out of prose.
constexpr const char* kWorkerBrief = R"(# Your task: {{task.title}}

You are a Maestro **worker**. Task `{{task.id}}` is yours: status {{task.status}}, priority {{task.priority}}.
{{#project.name}}
Project: {{project.name}}{{#project.workingDir}}, working directory `{{project.workingDir}}`{{/project.workingDir}}.
{{/project.name}}
{{#task.description}}

## Description

{{task.description}}
{{/task.description}}
{{#task.blockedReason}}

**This task is blocked:** {{task.blockedReason}}
{{/task.blockedReason}}
{{#subtasks.length}}

## Subtasks

{{#subtasks}}
- [{{status}}] `{{id}}` {{title}}{{#blockedReason}} (blocked: {{blockedReason}}){{/blockedReason}}
{{/subtasks}}
{{/subtasks.length}}
{{#dependencies.length}}

## Depends on

{{#dependencies}}
- [{{status}}] `{{id}}` {{title}}
{{/dependencies}}

Check that these are completed before you rely on their results.
{{/dependencies.length}}
{{#session.worktree}}

## Your branch

You work on a branch of your own, `{{branch}}`, in a git worktree of your own: `{{path}}`
(made from `{{base}}`). Other sessions work in worktrees of their own, so nothing you change
reaches them, and nothing they change reaches you, until a branch is merged.

- Commit your work here as you go: `git add -A && git commit -m "what and why"`. What you leave
  uncommitted is committed for you when your branch is merged.
- Stay on this branch: do not switch branches, merge, rebase or push. Your branch is merged into
  `{{base}}` after review (`maestro session merge`).
- `maestro session changes` lists what your branch changes, and warns when another session is
  changing the same files; coordinate through `maestro report needs-input` before you both do.
{{/session.worktree}}

## How to work

1. `maestro worker init` prints this brief again and marks the task in progress.
2. Report progress as you go: `maestro report progress "what you did, what is next"`.
3. Finish each subtask with `maestro subtask complete SUBTASK` (see `maestro subtask list`).
4. If you cannot go on, say why and stop: `maestro task block --reason "what you need"`.
   Ask a question with `maestro report needs-input "your question"`.
5. When everything is done and checked: `maestro task complete`, then
   `maestro report complete "a short summary of the result"`.

Task arguments default to `$MAESTRO_TASK_ID` ({{task.id}}); add `--json` for machine-readable output.
)";

class MaestroWorker {
public:
    MaestroWorker(const Host& host, Registrar& registrar) {
        registrar.command("worker init", "Print the brief for your task and mark it in progress",
                          {{"TASK", "", "the task (default: $MAESTRO_TASK_ID)", false}},
                          [host](const CommandCall& call) {
                              return maestro::plugins::runInitCommand(host, call, "worker");
                          });
        registrar.textTemplate("worker-brief", {"worker"}, kWorkerBrief);
    }
};

} // namespace

MAESTRO_SKILL(MaestroWorker, "maestro-worker", "1.0.0")
