// maestro status: the project overview from one request (GET /api/status).
#include "commands/Commands.h"
#include "commands/Render.h"
#include "domain/Task.h"

#include <CLI/App.hpp>

namespace maestro::cli::commands {

namespace {

void renderStatus(TextOut& out, const json::Object& status) {
    const auto& style = out.style();
    auto counts = json::object(status, "counts");
    const auto count = [&counts](const char* key) { return json::text(counts, key); };
    std::string scope = json::text(status, "projectId");
    out.line(style.paint(scope.empty() ? "All projects" : "Project " + scope, Colour::Bold) + "  " +
             count("total") + " tasks");
    std::string byStatus;
    for (auto each : domain::kAllTaskStatuses) {
        const std::string name(domain::toString(each));
        byStatus += byStatus.empty() ? "  " : "  ·  ";
        byStatus += style.status(name) + " " + count(name.c_str());
    }
    out.line(byStatus);

    auto blocked = json::array(status, "blocked");
    if (json::size(blocked) > 0) {
        out.line();
        out.line(style.paint("Blocked:", Colour::Bold));
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < json::size(blocked); ++i) {
            auto task = json::objectAt(blocked, i);
            rows.push_back({"  " + json::text(task, "id"), json::text(task, "title"),
                            render::blockedReason(task, true)});
        }
        out.table({"  ID", "TITLE", "REASON"}, rows,
                  [&style](std::size_t column, const std::string& cell) {
                      return column == 2 ? style.paint(cell, Colour::Red) : cell;
                  });
    }

    auto sessions = json::array(status, "sessions");
    out.line();
    out.line(style.paint("Sessions:", Colour::Bold));
    if (json::size(sessions) == 0)
        out.line("  none running");
    else
        render::sessionTable(out, sessions);

    auto events = json::array(status, "recentEvents");
    if (json::size(events) > 0) {
        out.line();
        out.line(style.paint("Recent activity:", Colour::Bold));
        for (std::size_t i = 0; i < json::size(events); ++i)
            render::eventLine(out, json::objectAt(events, i));
    }
}

Result runStatus(Invocation& inv) {
    Query query;
    query.addOptional("projectId", inv.optionalProject());
    auto body = inv.api().get("/api/status" + query.str()).body;
    auto status = json::parseObject(body);
    std::vector<std::string> blockedIds = render::ids(json::array(status, "blocked"));
    return Result{body, [status](TextOut& out) { renderStatus(out, status); }, blockedIds};
}

} // namespace

void setupStatus(CLI::App& app, CommandTable& table) {
    table.add(
        app, "status",
        "Project overview: tasks per status, blocked tasks and why, sessions, recent activity",
        kServer, runStatus);
}

} // namespace maestro::cli::commands
