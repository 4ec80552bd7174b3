// maestro session changes|diff|merge|discard: a session's worktree — what its branch changes,
// the diff, merging it into its base, throwing it away (docs/worktrees.md).
#include "commands/Commands.h"
#include "commands/Render.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <memory>

namespace maestro::cli::commands {

namespace {

enum class ChangeAction { Changes, Diff, Merge, Discard };

struct ChangeOptions {
    std::string session;
    std::string path;               // diff --path
    std::string strategy = "merge"; // merge --strategy
    std::string message;            // merge --message
    bool force = false;             // merge/discard --force
};

std::string worktreePath(const std::string& id, const std::string& what) {
    return "/api/sessions/" + pathSegment(id) + "/" + what;
}

// "M  +10 -2  src/parser.c" per file, status by its first letter.
void changesText(TextOut& out, const json::Object& changes) {
    auto ahead = json::text(changes, "ahead"), behind = json::text(changes, "behind");
    out.line(out.style().paint(json::text(changes, "branch"), Colour::Bold) + " → " +
             json::text(changes, "base") + "   " + ahead + " ahead, " + behind + " behind   " +
             out.style().paint("+" + json::text(changes, "additions"), Colour::Green) + " " +
             out.style().paint("-" + json::text(changes, "deletions"), Colour::Red));
    auto files = json::array(changes, "files");
    if (json::size(files) == 0) {
        out.line("No changes.");
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < json::size(files); ++i) {
        auto file = json::objectAt(files, i);
        auto status = json::text(file, "status");
        bool binary = json::text(file, "binary") == "true";
        rows.push_back(
            {status.empty() ? "?" : std::string(1, static_cast<char>(std::toupper(status.front()))),
             binary ? "binary" : "+" + json::text(file, "additions"),
             binary ? "" : "-" + json::text(file, "deletions"),
             json::text(file, "path") +
                 (json::text(file, "uncommitted") == "true" ? "  (uncommitted)" : "")});
    }
    out.table({"", "ADDED", "REMOVED", "PATH"}, rows);
    auto overlaps = json::array(changes, "overlaps");
    for (std::size_t i = 0; i < json::size(overlaps); ++i) {
        auto overlap = json::objectAt(overlaps, i);
        out.line(out.style().paint("overlaps with session " + json::text(overlap, "sessionId") +
                                       ": " + render::joined(json::strings(overlap, "paths")),
                                   Colour::Yellow));
    }
}

Result run(ChangeAction action, const ChangeOptions& o, Invocation& inv) {
    const auto id =
        inv.idOrDefault(o.session, inv.env().sessionId, "session", "SESSION", "MAESTRO_SESSION_ID");
    switch (action) {
    case ChangeAction::Changes: {
        auto body = inv.api().get(worktreePath(id, "changes")).body;
        auto changes = json::parseObject(body);
        return Result{body, [changes](TextOut& out) { changesText(out, changes); }, {id}};
    }
    case ChangeAction::Diff: {
        Query query;
        if (!o.path.empty()) query.add("path", o.path);
        auto diff = inv.api().get(worktreePath(id, "diff") + query.str()).body;
        // The diff is text; --json carries it in a document of the CLI's own.
        maestro::json::Writer document;
        document.beginObject().field("sessionId", id);
        if (!o.path.empty())
            document.field("path", o.path);
        else
            document.key("path").null();
        document.field("diff", diff).endObject();
        return Result{document.take(), [diff](TextOut& out) { out.stream() << diff; }, {id}};
    }
    case ChangeAction::Merge: {
        maestro::json::Writer body;
        body.beginObject().field("strategy", o.strategy);
        if (!o.message.empty()) body.field("message", o.message);
        if (o.force) body.field("force", true);
        body.endObject();
        auto answer = inv.api().postAction(worktreePath(id, "merge"), body.take()).body;
        auto merged = json::parseObject(answer);
        return Result{answer,
                      [merged](TextOut& out) {
                          auto files = json::array(merged, "files");
                          if (json::text(merged, "upToDate") == "true")
                              out.line("Nothing to merge: " + json::text(merged, "base") +
                                       " already has the work of " + json::text(merged, "branch"));
                          else
                              out.line("Merged " + json::text(merged, "branch") + " into " +
                                       json::text(merged, "base") + " (" +
                                       json::text(merged, "strategy") + ") as " +
                                       json::text(merged, "commit").substr(0, 12) + ": " +
                                       std::to_string(json::size(files)) + " files");
                      },
                      {id}};
    }
    case ChangeAction::Discard: {
        auto answer =
            inv.api()
                .postAction(worktreePath(id, "discard"), o.force ? R"({"force":true})" : "{}")
                .body;
        auto discarded = json::parseObject(answer);
        return Result{answer,
                      [discarded](TextOut& out) {
                          out.line("Discarded the worktree and branch " +
                                   json::text(discarded, "branch"));
                      },
                      {id}};
    }
    }
    throw CliError::internal("unhandled session command");
}

} // namespace

void setupSessionChanges(CLI::App& group, CommandTable& table) {
    auto o = std::make_shared<ChangeOptions>();
    const auto add = [&](const char* name, const char* summary, ChangeAction action) {
        auto* command = table.add(group, name, summary, kServer,
                                  [o, action](Invocation& inv) { return run(action, *o, inv); });
        command->add_option("SESSION", o->session, "Session id (default $MAESTRO_SESSION_ID)");
        return command;
    };
    add("changes", "What the session's branch changes against its base: files, lines, overlaps",
        ChangeAction::Changes);
    auto* diff = add("diff", "The unified diff of the session's changes", ChangeAction::Diff);
    diff->add_option("--path", o->path, "Only this changed file")->type_name("PATH");
    auto* merge =
        add("merge", "Commit the session's work and merge its branch into the base branch",
            ChangeAction::Merge);
    merge->add_option("--strategy", o->strategy, "merge (a merge commit) or squash (one commit)")
        ->check(CLI::IsMember({"merge", "squash"}))
        ->capture_default_str();
    merge->add_option("--message", o->message, "The message of the merge commit")
        ->type_name("TEXT");
    merge->add_flag("--force", o->force, "Stop the session first if it is still running");
    auto* discard =
        add("discard", "Remove the session's worktree and branch, unmerged", ChangeAction::Discard);
    discard->add_flag("--force", o->force, "Stop the session first if it is still running");
}

} // namespace maestro::cli::commands
