// maestro hook claude
//
// Run by an agent's hooks, not by people (docs/sessions.md, "Activity"): reads the hook's JSON
// event on stdin and tells the server what the session's agent is doing. For Claude Code
// (hook_event_name):
//   Notification                  → needs_input, with the notification's message (but not
//                                   notification_type auth_success)
//   Stop                          → idle (the turn is over; the agent waits for a prompt)
//   UserPromptSubmit, PostToolUse → working
// It prints nothing on stdout (Claude Code adds a UserPromptSubmit hook's output to the
// conversation) and always exits 0: a report that cannot be made must not stop the agent, so the
// reason goes to stderr.
#include "CliError.h"
#include "Json.h"
#include "commands/Commands.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <iostream>
#include <iterator>
#include <memory>

namespace maestro::cli::commands {

namespace {

constexpr std::size_t kMaxEvent = 1u << 20;

struct HookOptions {
    std::string agent;
};

struct Report {
    const char* activity = nullptr;
    std::string reason;
};

Report claudeReport(const json::Object& event) {
    auto name = json::text(event, "hook_event_name");
    if (name == "Notification") {
        // Every notification but a finished login waits for the person: a permission prompt,
        // the prompt left idle, a question (older versions send no notification_type).
        if (json::text(event, "notification_type") == "auth_success") return {};
        return {"needs_input", json::text(event, "message")};
    }
    if (name == "Stop") return {"idle", "finished its turn"};
    if (name == "UserPromptSubmit" || name == "PostToolUse") return {"working", ""};
    return {};
}

Result runHook(Invocation& inv) {
    Result result;
    result.streamed = true; // nothing on stdout
    std::string input;
    char buffer[4096];
    while (input.size() < kMaxEvent && std::cin.read(buffer, sizeof buffer).gcount() > 0)
        input.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    const auto& session = inv.env().sessionId;
    if (session.empty()) return result; // not in a Maestro session: nothing to tell
    try {
        auto report = claudeReport(json::parseObject(input));
        if (!report.activity) return result;
        maestro::json::Writer body;
        body.beginObject()
            .field("activity", report.activity)
            .field("reason", report.reason)
            .field("source", "hook")
            .endObject();
        inv.api().postAction("/api/sessions/" + pathSegment(session) + "/activity", body.take());
    } catch (const std::exception& e) {
        inv.output().note(std::string("maestro hook: not reported: ") + e.what());
    }
    return result;
}

} // namespace

void setupHook(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<HookOptions>();
    auto* hook = table.add(app, "hook",
                           "For agent hooks: report the session's activity from the hook's "
                           "JSON on stdin",
                           kServer, [o](Invocation& inv) { return runHook(inv); });
    hook->add_option("AGENT", o->agent, "The agent whose hook this is")
        ->required()
        ->check(CLI::IsMember({"claude"}));
}

} // namespace maestro::cli::commands
