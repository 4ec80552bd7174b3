// maestro report progress|complete|blocked|needs-input|error MESSAGE
//
// How an agent tells the server where its task stands. Each one records MESSAGE on the task
// ($MAESTRO_TASK_ID unless --task), attributed to $MAESTRO_SESSION_ID when set:
//   progress     timeline entry "update"
//   complete     timeline entry "milestone", then status completed
//   blocked      status blocked with MESSAGE as blockedReason (the server records the
//                "blocker" timeline entry)
//   needs-input  timeline entry "blocker", "Needs input: MESSAGE"; the status is unchanged
//   error        timeline entry "update", "Error: MESSAGE"; the status is unchanged
// Inside a session each also tells the server what the agent is doing: needs-input sets the
// session's activity to needs_input (MESSAGE as the reason) until input arrives; the others mean
// it is working.
#include "CliError.h"
#include "commands/Commands.h"
#include "commands/Render.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <memory>

namespace maestro::cli::commands {

namespace {

enum class ReportKind { Progress, Complete, Blocked, NeedsInput, Error };

struct ReportOptions {
    std::string task;
    std::vector<std::string> words;
};

std::string joinWords(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words)
        text += (text.empty() ? "" : " ") + word;
    return text;
}

std::string timelineBody(const Invocation& inv, std::string_view type, const std::string& message) {
    maestro::json::Writer body;
    body.beginObject().field("type", type).field("message", message);
    if (!inv.env().sessionId.empty()) body.field("sessionId", inv.env().sessionId);
    return body.endObject().take();
}

// The session's activity (docs/sessions.md, "Activity"). The report itself is on the task
// already, so a session the server no longer runs only earns a note.
void reportActivity(ReportKind kind, const std::string& message, Invocation& inv) {
    const auto& session = inv.env().sessionId;
    if (session.empty()) return;
    maestro::json::Writer body;
    body.beginObject()
        .field("activity", kind == ReportKind::NeedsInput ? "needs_input" : "working")
        .field("reason", message)
        .field("source", "report")
        .endObject();
    try {
        inv.api().postAction("/api/sessions/" + pathSegment(session) + "/activity", body.take());
    } catch (const CliError& error) {
        if (error.exitCode() != kExitRefused) throw;
        inv.output().note("note: session " + session + "'s activity not recorded: " + error.what());
    }
}

Result runReport(ReportKind kind, const ReportOptions& o, Invocation& inv) {
    const std::string message = joinWords(o.words);
    checkText(message, "the message");
    if (!inv.env().sessionId.empty()) checkId(inv.env().sessionId, "MAESTRO_SESSION_ID");
    const std::string id = inv.taskOrDefault(o.task);
    const std::string task = "/api/tasks/" + pathSegment(id);

    std::string body;
    std::string said;
    switch (kind) {
    case ReportKind::Progress:
        body = inv.api().post(task + "/timeline", timelineBody(inv, "update", message)).body;
        said = "Reported progress on";
        break;
    case ReportKind::Complete:
        inv.api().post(task + "/timeline", timelineBody(inv, "milestone", message));
        body = inv.api().patch(task, R"({"status":"completed"})").body;
        said = "Completed";
        break;
    case ReportKind::Blocked: {
        maestro::json::Writer patch;
        patch.beginObject().field("status", "blocked").field("blockedReason", message).endObject();
        body = inv.api().patch(task, patch.take()).body;
        said = "Blocked";
        break;
    }
    case ReportKind::NeedsInput:
        body =
            inv.api()
                .post(task + "/timeline", timelineBody(inv, "blocker", "Needs input: " + message))
                .body;
        said = "Asked for input on";
        break;
    case ReportKind::Error:
        body = inv.api()
                   .post(task + "/timeline", timelineBody(inv, "update", "Error: " + message))
                   .body;
        said = "Reported an error on";
        break;
    }
    reportActivity(kind, message, inv);
    auto result = json::parseObject(body);
    return Result{
        body, [result, said](TextOut& out) { render::taskLine(out, said, result); }, {id}};
}

} // namespace

void setupReport(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<ReportOptions>();
    CLI::App* group =
        addGroup(app, "report", "Report on your task: progress, completion, blocks, errors");
    const auto add = [&](const char* name, const char* summary, ReportKind kind) {
        auto* command = table.add(*group, name, summary, kServer,
                                  [o, kind](Invocation& inv) { return runReport(kind, *o, inv); });
        command->add_option("MESSAGE", o->words, "What to report")->required();
        command->add_option("--task", o->task, "Task (default $MAESTRO_TASK_ID)")
            ->type_name("TASK");
    };
    add("progress", "Add a progress note to the task's timeline", ReportKind::Progress);
    add("complete", "Note what was done and mark the task completed", ReportKind::Complete);
    add("blocked", "Mark the task blocked, with MESSAGE as the reason", ReportKind::Blocked);
    add("needs-input", "Say the task needs input from a person (status unchanged)",
        ReportKind::NeedsInput);
    add("error", "Record an error on the task's timeline (status unchanged)", ReportKind::Error);
}

} // namespace maestro::cli::commands
