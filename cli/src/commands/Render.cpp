#include "commands/Render.h"

#include <algorithm>

namespace maestro::cli::render {

namespace {

constexpr std::size_t kTimelineShown = 5;

TextOut::Painter statusPainter(const TextOut& out, std::size_t statusColumn) {
    return [style = out.style(), statusColumn](std::size_t column, const std::string& cell) {
        return column == statusColumn ? style.status(cell) : cell;
    };
}

// The subject of an event payload: a subtask's inner object, else the payload itself.
json::Object subjectOf(const json::Object& data) {
    if (auto subtask = json::object(data, "subtask")) return subtask;
    return data;
}

// "maestro/x-1 from main (active)", or "" for a session without a worktree.
std::string worktreeText(const json::Object& worktree) {
    if (!worktree) return {};
    return json::text(worktree, "branch") + " from " + json::text(worktree, "base") + " (" +
           json::text(worktree, "state") + ")";
}

} // namespace

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

std::string blockedReason(const json::Object& task, bool blocked) {
    if (auto reason = json::text(task, "blockedReason"); !reason.empty()) return reason;
    return blocked || json::text(task, "status") == "blocked" ? "no reason given" : "";
}

std::vector<std::string> ids(const json::Array& items) {
    std::vector<std::string> result;
    for (std::size_t i = 0; i < json::size(items); ++i)
        result.push_back(json::text(json::objectAt(items, i), "id"));
    return result;
}

void taskTable(TextOut& out, const json::Array& tasks) {
    if (json::size(tasks) == 0) return out.line("No tasks.");
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < json::size(tasks); ++i) {
        auto task = json::objectAt(tasks, i);
        std::string title = json::text(task, "title");
        if (auto reason = blockedReason(task); !reason.empty())
            title += " (blocked: " + reason + ")";
        rows.push_back({json::text(task, "id"), json::text(task, "status"),
                        json::text(task, "priority"), title});
    }
    out.table({"ID", "STATUS", "PRIORITY", "TITLE"}, rows, statusPainter(out, 1));
}

void taskDetail(TextOut& out, const json::Object& task) {
    const auto& style = out.style();
    out.fields({
        {"id", json::text(task, "id")},
        {"title", json::text(task, "title")},
        {"status", style.status(json::text(task, "status"))},
        {"blocked", blockedReason(task)},
        {"session status", json::text(task, "sessionStatus")},
        {"priority", json::text(task, "priority")},
        {"project", json::text(task, "projectId")},
        {"parent", json::text(task, "parentId")},
        {"description", json::text(task, "description")},
        {"depends on", joined(json::strings(task, "dependencies"))},
        {"sessions", joined(json::strings(task, "sessionIds"))},
        {"created", json::formatTime(json::integer(task, "createdAt"))},
        {"updated", json::formatTime(json::integer(task, "updatedAt"))},
        {"started", json::formatTime(json::integer(task, "startedAt"))},
        {"completed", json::formatTime(json::integer(task, "completedAt"))},
        {"version", json::text(task, "version")},
    });
    auto timeline = json::array(task, "timeline");
    const std::size_t count = json::size(timeline);
    if (count == 0) return;
    out.line(style.paint("timeline:", Colour::Bold));
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = count > kTimelineShown ? count - kTimelineShown : 0; i < count; ++i) {
        auto entry = json::objectAt(timeline, i);
        rows.push_back({"  " + json::formatTime(json::integer(entry, "timestamp")),
                        json::text(entry, "type"), json::text(entry, "message")});
    }
    out.table({"  TIME", "TYPE", "MESSAGE"}, rows);
}

void taskLine(TextOut& out, const std::string& verb, const json::Object& task) {
    std::string line = verb + " " + json::text(task, "id") + " \"" + json::text(task, "title") +
                       "\" (" + out.style().status(json::text(task, "status"));
    if (auto reason = blockedReason(task); !reason.empty()) line += ": " + reason;
    out.line(line + ")");
}

void projectTable(TextOut& out, const json::Array& projects) {
    if (json::size(projects) == 0) return out.line("No projects.");
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < json::size(projects); ++i) {
        auto project = json::objectAt(projects, i);
        rows.push_back({json::text(project, "id"), json::text(project, "name"),
                        json::text(project, "workingDir")});
    }
    out.table({"ID", "NAME", "WORKING DIR"}, rows);
}

void projectDetail(TextOut& out, const json::Object& project) {
    out.fields({
        {"id", json::text(project, "id")},
        {"name", json::text(project, "name")},
        {"working dir", json::text(project, "workingDir")},
        {"description", json::text(project, "description")},
        {"created", json::formatTime(json::integer(project, "createdAt"))},
        {"updated", json::formatTime(json::integer(project, "updatedAt"))},
    });
}

void sessionTable(TextOut& out, const json::Array& sessions) {
    if (json::size(sessions) == 0) return out.line("No sessions.");
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < json::size(sessions); ++i) {
        auto session = json::objectAt(sessions, i);
        rows.push_back({json::text(session, "id"), json::text(session, "status"),
                        json::text(session, "role"), joined(json::strings(session, "taskIds")),
                        json::text(session, "name")});
    }
    out.table({"ID", "STATUS", "ROLE", "TASKS", "NAME"}, rows, statusPainter(out, 1));
}

void sessionDetail(TextOut& out, const json::Object& session) {
    out.fields({
        {"id", json::text(session, "id")},
        {"name", json::text(session, "name")},
        {"status", out.style().status(json::text(session, "status"))},
        {"role", json::text(session, "role")},
        {"agent", json::text(session, "agent")},
        {"project", json::text(session, "projectId")},
        {"tasks", joined(json::strings(session, "taskIds"))},
        {"parent", json::text(session, "parentSessionId")},
        {"command", json::text(session, "command")},
        {"cwd", json::text(session, "cwd")},
        {"branch", worktreeText(json::object(session, "worktree"))},
        {"pid", json::text(session, "pid")},
        {"exit code", json::text(session, "exitCode")},
        {"started", json::formatTime(json::integer(session, "startedAt"))},
        {"last activity", json::formatTime(json::integer(session, "lastActivity"))},
        {"completed", json::formatTime(json::integer(session, "completedAt"))},
    });
}

void eventLine(TextOut& out, const json::Object& event) {
    // An event of the log ({type, seq, data, timestamp}) or a status summary (data inlined).
    auto data = json::object(event, "data");
    auto subject = data ? subjectOf(data) : event;
    std::string about = json::text(subject, "id");
    if (about.empty()) about = json::text(subject, "subtaskId");
    std::string title = json::text(subject, "title");
    if (title.empty()) title = json::text(subject, "name");
    // A stream cannot be laid out as a table, so the type takes a fixed width: as wide as
    // the usual types ("subtask:updated"), so that what follows lines up.
    constexpr std::size_t kTypeWidth = 15;
    const std::string type = json::text(event, "type");
    std::string line = "#" + json::text(event, "seq") + "  " +
                       json::formatTime(json::integer(event, "timestamp")) + "  " +
                       out.style().paint(type, Colour::Cyan) +
                       std::string(kTypeWidth - std::min(type.size(), kTypeWidth), ' ');
    if (!about.empty()) line += "  " + about;
    if (!title.empty()) line += "  " + title;
    if (auto status = json::text(subject, "status"); !status.empty())
        line += "  [" + out.style().status(status) + "]";
    out.line(line);
}

} // namespace maestro::cli::render
