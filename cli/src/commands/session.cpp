// maestro session list|get|spawn|stop|attach|logs
#include "WsConnection.h"
#include "commands/Commands.h"
#include "commands/Render.h"
#include "domain/JsonWriter.h"

#include <CLI/App.hpp>
#include <memory>

namespace maestro::cli::commands {

namespace {

enum class SessionAction { List, Get, Spawn, Stop, Attach, Logs };

struct SessionOptions {
    std::string session;
    std::vector<std::string> tasks;
    std::string role = "worker";
    std::string agent;
    std::string name;
    std::string status;
    long long since = -1;
};

const std::vector<std::string> kRoles = {"worker", "orchestrator"};
const std::vector<std::string> kStatuses = {"spawning",  "running", "idle",   "working",
                                            "completed", "failed",  "stopped"};

std::string sessionPath(const std::string& id) {
    return "/api/sessions/" + pathSegment(id);
}

// A session answer may be the session itself or wrap it as {"session":{…}}.
json::Object sessionOf(const json::Object& body) {
    if (auto inner = json::object(body, "session")) return inner;
    return body;
}

Result sessionResult(const std::string& body, const std::string& verb) {
    auto session = sessionOf(json::parseObject(body));
    return Result{body,
                  [session, verb](TextOut& out) {
                      if (verb.empty()) return render::sessionDetail(out, session);
                      out.line(verb + " session " + json::text(session, "id") + " (" +
                               out.style().status(json::text(session, "status")) + ")");
                  },
                  {json::text(session, "id")}};
}

std::string sessionOrDefault(const SessionOptions& o, const Invocation& inv) {
    return inv.idOrDefault(o.session, inv.env().sessionId, "session", "SESSION",
                           "MAESTRO_SESSION_ID");
}

Result spawnSession(const SessionOptions& o, Invocation& inv) {
    std::vector<std::string> tasks = o.tasks;
    if (tasks.empty()) tasks.push_back(inv.taskOrDefault(""));
    for (const auto& task : tasks)
        checkId(task, "task");
    domain::JsonWriter body;
    body.beginObject();
    // Without a project the server takes the tasks' own.
    if (!inv.project().empty()) body.field("projectId", inv.project());
    body.stringArray("taskIds", tasks).field("role", o.role);
    if (!o.agent.empty()) body.field("agent", o.agent);
    if (!o.name.empty()) body.field("name", o.name);
    // Spawned from inside a session, the new one is its child.
    if (!inv.env().sessionId.empty()) body.field("parentSessionId", inv.env().sessionId);
    body.endObject();
    return sessionResult(inv.api().post("/api/sessions/spawn", body.take()).body, "Spawned");
}

bool hasEnded(const std::string& status) {
    return status == "completed" || status == "failed" || status == "stopped";
}

// Prints the terminal output of a session as it comes, until the session exits. After a lost
// connection it attaches again and skips what it already printed (output offsets count bytes).
Result attachSession(const std::string& id, Invocation& inv) {
    Output& output = inv.output();
    std::uint64_t printedEnd = 0;
    bool ended = false;
    FollowOptions follow{inv.server(), inv.token(), inv.retry(),
                         [&output](const std::string& line) { output.note(line); }};
    const auto start = [&](WsConnection& connection) {
        domain::JsonWriter attach;
        attach.beginObject().field("type", "session:attach").field("sessionId", id).endObject();
        connection.send(attach.take());
        connection.send(R"({"type":"subscribe"})");
        // Subscribed first, then asked: a session that ends from now on is announced, one that
        // has already ended shows as such; either way the wait ends.
        auto session = sessionOf(json::parseObject(inv.api().get(sessionPath(id)).body));
        ended = hasEnded(json::text(session, "status"));
    };
    const auto handle = [&](const std::string& text) {
        auto message = serverMessage(text);
        const auto type = json::text(message, "type");
        // The hub answers in order: the scrollback, then "subscribed".
        if (type == "subscribed") return !ended;
        if (type == "session:output" && json::text(message, "sessionId") == id) {
            std::string data = json::text(message, "data");
            const auto offset =
                static_cast<std::uint64_t>(json::integer(message, "offset").value_or(0));
            if (offset + data.size() <= printedEnd) return true;
            if (offset < printedEnd) data.erase(0, static_cast<std::size_t>(printedEnd - offset));
            printedEnd = offset + json::text(message, "data").size();
            return output.streamItem(text, [&data](TextOut& out) { out.stream() << data; });
        }
        if (type == "session:exited" || type == "session:deleted") {
            auto data = json::object(message, "data");
            auto subject = sessionOf(data);
            return json::text(subject, "id") != id && json::text(data, "sessionId") != id;
        }
        return true;
    };
    followWebSocket(follow, start, handle);
    Result result;
    result.streamed = true;
    return result;
}

Result runSession(SessionAction action, const SessionOptions& o, Invocation& inv) {
    switch (action) {
    case SessionAction::List: {
        Query query;
        query.addOptional("projectId", inv.optionalProject());
        if (!o.status.empty()) query.add("status", o.status);
        auto body = inv.api().get("/api/sessions" + query.str()).body;
        auto sessions = json::parseArray(body);
        return Result{body, [sessions](TextOut& out) { render::sessionTable(out, sessions); },
                      render::ids(sessions)};
    }
    case SessionAction::Spawn:
        return spawnSession(o, inv);
    default:
        break;
    }
    const std::string id = sessionOrDefault(o, inv);
    switch (action) {
    case SessionAction::Get:
        return sessionResult(inv.api().get(sessionPath(id)).body, "");
    case SessionAction::Stop:
        return sessionResult(inv.api().postAction(sessionPath(id) + "/stop", "{}").body, "Stopped");
    case SessionAction::Attach:
        return attachSession(id, inv);
    case SessionAction::Logs: {
        Query query;
        if (o.since >= 0) query.add("since", std::to_string(o.since));
        auto body = inv.api().get(sessionPath(id) + "/output" + query.str()).body;
        auto logs = json::parseObject(body);
        return Result{
            body, [logs](TextOut& out) { out.stream() << json::text(logs, "data"); }, {id}};
    }
    default:
        break;
    }
    throw CliError::internal("unhandled session command");
}

} // namespace

void setupSession(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<SessionOptions>();
    CLI::App* group = addGroup(app, "session", "Spawn and follow agent sessions");
    const auto add = [&](const char* name, const char* summary, SessionAction action) {
        return table.add(*group, name, summary, kServer,
                         [o, action](Invocation& inv) { return runSession(action, *o, inv); });
    };
    const auto sessionArgument = [&o](CLI::App* command) {
        command->add_option("SESSION", o->session, "Session id (default $MAESTRO_SESSION_ID)");
    };

    auto* list =
        add("list", "List sessions (of the project, when one is set)", SessionAction::List);
    list->add_option("--status", o->status, "Only sessions with this status")
        ->check(CLI::IsMember(kStatuses));
    sessionArgument(add("get", "Show a session", SessionAction::Get));

    auto* spawn = add("spawn", "Start an agent session on tasks", SessionAction::Spawn);
    spawn->add_option("--task", o->tasks, "Task to work on (repeatable; default $MAESTRO_TASK_ID)")
        ->type_name("TASK");
    spawn->add_option("--role", o->role, "worker or orchestrator")
        ->check(CLI::IsMember(kRoles))
        ->capture_default_str();
    spawn
        ->add_option("--agent", o->agent, "Agent profile from config.json (server default: claude)")
        ->type_name("PROFILE");
    spawn->add_option("--name", o->name, "Session name");

    sessionArgument(add("stop", "Stop a session", SessionAction::Stop));
    sessionArgument(add("attach", "Print a session's terminal output live until it exits",
                        SessionAction::Attach));
    auto* logs = add("logs", "Print a session's recorded output", SessionAction::Logs);
    sessionArgument(logs);
    logs->add_option("--since", o->since, "Only output after this byte offset")
        ->type_name("OFFSET")
        ->check(CLI::NonNegativeNumber);
}

} // namespace maestro::cli::commands
