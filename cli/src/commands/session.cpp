// maestro session list|get|spawn|stop|attach|logs|input|screen (changes|diff|merge|discard:
// session_changes.cpp)
#include "Paths.h"
#include "TerminalMode.h"
#include "WsConnection.h"
#include "commands/Choices.h"
#include "commands/Commands.h"
#include "commands/Render.h"
#include "holder/Connection.h"
#include "json/Utf8.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <string_view>
#include <unistd.h>
#include <utility>

namespace maestro::cli::commands {

namespace {

enum class SessionAction { List, Get, Spawn, Stop, Attach, Logs, Input, Screen };

struct SessionOptions {
    std::string session;
    std::vector<std::string> tasks;
    std::string role = "worker";
    std::string agent;
    std::string name;
    std::string node; // spawn --node
    std::string status;
    long long since = -1;
    bool input = false;            // attach --input
    bool noInput = false;          // attach --no-input
    std::vector<std::string> text; // input TEXT…
    bool noEnter = false;          // input --no-enter
};

const std::vector<std::string> kRoles = choices(domain::kRoles);
const std::vector<std::string> kStatuses = choices(domain::kAllSessionStatuses);

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
    maestro::json::Writer body;
    body.beginObject();
    // Without a project the server takes the tasks' own.
    if (!inv.project().empty()) body.field("projectId", inv.project());
    body.stringArray("taskIds", tasks).field("role", o.role);
    if (!o.agent.empty()) body.field("agent", o.agent);
    if (!o.name.empty()) body.field("name", o.name);
    if (!o.node.empty()) body.field("nodeId", o.node);
    // Spawned from inside a session, the new one is its child.
    if (!inv.env().sessionId.empty()) body.field("parentSessionId", inv.env().sessionId);
    body.endObject();
    return sessionResult(inv.api().post("/api/sessions/spawn", body.take()).body, "Spawned");
}

bool hasEnded(const std::string& status) {
    return status == "completed" || status == "failed" || status == "stopped";
}

// What `attach` does with stdin.
enum class InputMode {
    None,     // nothing: output only
    Pipe,     // bytes forwarded as they come; at their end the output goes on
    Terminal, // raw mode: every key forwarded, Ctrl-] detaches
};

constexpr char kDetachKey = 0x1d;      // Ctrl-]
constexpr int kMaxTerminalSide = 1000; // what the server accepts for cols and rows

InputMode inputMode(const SessionOptions& o) {
    if (o.noInput) return InputMode::None;
    if (::isatty(STDIN_FILENO)) return InputMode::Terminal;
    return o.input ? InputMode::Pipe : InputMode::None;
}

// One read of stdin: the keys to forward, and whether input ended or asked to detach (Ctrl-]
// on a terminal).
struct Keys {
    std::string bytes;
    bool ended = false;
    bool detach = false;
    bool none = false; // interrupted: nothing read
};

Keys readKeys(bool raw) {
    char buffer[4096];
    const auto n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return {.none = true};
    std::string_view chunk(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
    const auto detachAt = raw ? chunk.find(kDetachKey) : std::string_view::npos;
    return {std::string(chunk.substr(0, detachAt)), n <= 0, detachAt != std::string_view::npos};
}

// The terminal size to give the session: stdout's, within what sessions accept.
std::optional<WindowSize> sessionSize() {
    auto size = windowSize(STDOUT_FILENO);
    if (size)
        *size = {std::min(size->cols, kMaxTerminalSide), std::min(size->rows, kMaxTerminalSide)};
    return size;
}

std::string inputMessage(const std::string& id, const std::string& data) {
    maestro::json::Writer message;
    message.beginObject()
        .field("type", "session:input")
        .field("sessionId", id)
        .field("data", data)
        .endObject();
    return message.take();
}

// The size of the terminal on stdout, as a session:resize; nullopt when it has none.
std::optional<std::string> resizeMessage(const std::string& id) {
    const auto size = sessionSize();
    if (!size) return std::nullopt;
    maestro::json::Writer message;
    message.beginObject()
        .field("type", "session:resize")
        .field("sessionId", id)
        .field("cols", size->cols)
        .field("rows", size->rows)
        .endObject();
    return message.take();
}

std::string outputMessage(const std::string& id, std::uint64_t offset, std::string_view data) {
    maestro::json::Writer message(data.size() + 96);
    message.beginObject()
        .field("type", "session:output")
        .field("sessionId", id)
        .field("offset", static_cast<std::int64_t>(offset))
        .field("data", maestro::json::sanitizeUtf8(data))
        .endObject();
    return message.take();
}

// Attach through the server: prints the terminal output of a session as it comes, until the
// session exits. After a lost connection it attaches again from the offset it had reached
// (output offsets count bytes). With input (a terminal on stdin, or --input) what stdin reads
// goes to the session as session:input, and the session's size follows the terminal on stdout.
Result attachThroughServer(const std::string& id, const SessionOptions& o, Invocation& inv) {
    Output& output = inv.output();
    const InputMode mode = inputMode(o);
    const bool raw = mode == InputMode::Terminal;
    const bool followSize = mode != InputMode::None && ::isatty(STDOUT_FILENO);
    std::uint64_t printedEnd = 0;
    bool ended = false;
    bool attached = false; // the server took session:attach (its scrollback came)
    bool hinted = false;
    bool detached = false;
    bool inputLost = false;
    // In raw mode the terminal no longer turns "\n" into a new line by itself.
    const auto note = [&output, raw](const std::string& line) {
        output.note(raw ? line + "\r" : line);
    };
    FollowOptions follow{inv.server(), inv.token(), inv.retry(), note};
    // Bytes travel as JSON text: a UTF-8 sequence split between two reads waits for its end,
    // and stray bytes become U+FFFD (the server closes a connection that sends broken text).
    std::string pending;
    const auto sendPending = [&](WsConnection& connection, bool last) {
        const auto whole = pending.size() - (last ? 0 : maestro::json::incompleteUtf8Tail(pending));
        if (whole > 0)
            connection.send(
                inputMessage(id, maestro::json::sanitizeUtf8(pending.substr(0, whole))));
        pending.erase(0, whole);
    };
    const auto start = [&](WsConnection& connection) {
        attached = false;
        maestro::json::Writer attach;
        attach.beginObject()
            .field("type", "session:attach")
            .field("sessionId", id)
            .field("offset", static_cast<std::int64_t>(printedEnd))
            .endObject();
        connection.send(attach.take());
        connection.send(R"({"type":"subscribe"})");
        // Subscribed first, then asked: a session that ends from now on is announced, one that
        // has already ended shows as such; either way the wait ends.
        auto session = sessionOf(json::parseObject(inv.api().get(sessionPath(id)).body));
        ended = hasEnded(json::text(session, "status"));
        if (ended) return;
        if (followSize)
            if (auto resize = resizeMessage(id)) connection.send(*resize);
        if (raw && !std::exchange(hinted, true)) note("attached to " + id + " — Ctrl-] to detach");
        sendPending(connection, false); // keys typed while the connection was lost
    };
    const auto handle = [&](const std::string& text) {
        json::Object message;
        try {
            message = serverMessage(text);
        } catch (const CliError& error) {
            // Input or a resize that reached a terminal just gone: the session is ending (its
            // session:exited follows), or it has no terminal any more; said once.
            if (!attached || error.code() != "session_not_found") throw;
            if (!std::exchange(inputLost, true))
                note(std::string("input not delivered: ") + error.what());
            return true;
        }
        const auto type = json::text(message, "type");
        // The hub answers in order: the scrollback, then "subscribed".
        if (type == "subscribed") return !ended;
        if (type == "session:output" && json::text(message, "sessionId") == id) {
            attached = true;
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

    const auto forwardInput = [&](WsConnection& connection) {
        auto keys = readKeys(raw);
        if (keys.none) return Watch::Keep;
        pending.append(keys.bytes);
        sendPending(connection, keys.ended || keys.detach);
        if (keys.detach) {
            detached = true;
            return Watch::End;
        }
        return keys.ended ? Watch::Drop : Watch::Keep;
    };
    // While the connection is lost the keys of a terminal are held for the next one, and Ctrl-]
    // detaches at once; piped input waits unread in its pipe.
    const auto holdInput = [&] {
        auto keys = readKeys(raw);
        if (keys.detach) {
            detached = true;
            return Watch::End;
        }
        pending.append(keys.bytes);
        return keys.ended ? Watch::Drop : Watch::Keep;
    };
    // A resize first: keys typed after it are meant for the new size. While the connection is
    // lost a resize waits for the next connection, which sends the size anew.
    std::optional<WindowSizeSignal> resized;
    if (followSize) {
        resized.emplace();
        follow.inputs.push_back({resized->fd(),
                                 [&](WsConnection& connection) {
                                     resized->clear();
                                     if (auto resize = resizeMessage(id)) connection.send(*resize);
                                     return Watch::Keep;
                                 },
                                 [&] {
                                     resized->clear();
                                     return Watch::Keep;
                                 }});
    }
    if (mode != InputMode::None)
        follow.inputs.push_back(
            {STDIN_FILENO, forwardInput, raw ? std::function<Watch()>(holdInput) : nullptr});

    std::optional<RawTerminalMode> terminal;
    if (raw) terminal.emplace(STDIN_FILENO);
    followWebSocket(follow, start, handle);
    terminal.reset();
    if (detached) output.note("detached from " + id);
    Result result;
    result.streamed = true;
    return result;
}

// Attach straight to the session's holder (maestro-session) through its socket under the
// Maestro home: it works whether the server runs or not. The same output, keys, size and
// Ctrl-] as through the server; the bytes are the terminal's own, not JSON text.
Result attachToHolder(holder::Connection& holder, const std::string& id, const SessionOptions& o,
                      Invocation& inv) {
    using holder::Type;
    Output& output = inv.output();
    const InputMode mode = inputMode(o);
    const bool raw = mode == InputMode::Terminal;
    const bool followSize = mode != InputMode::None && ::isatty(STDOUT_FILENO);
    const auto note = [&output, raw](const std::string& line) {
        output.note(raw ? line + "\r" : line);
    };
    holder.send(Type::Attach, holder::offsetPayload(0));
    const auto resize = [&holder] {
        if (auto size = sessionSize())
            holder.send(Type::Resize, holder::resizePayload(size->cols, size->rows));
    };
    if (followSize) resize();

    std::optional<WindowSizeSignal> resized;
    if (followSize) resized.emplace();
    std::optional<RawTerminalMode> terminal;
    if (raw) {
        terminal.emplace(STDIN_FILENO);
        note("attached to " + id + " — Ctrl-] to detach");
    }
    std::string carry; // --json: a character cut in two waits for its end
    bool ended = false, detached = false, inputLost = false;
    bool keys = mode != InputMode::None;
    std::uint64_t received = 0; // the end of the output so far
    while (!ended && !detached) {
        while (auto frame = holder.receive(std::chrono::milliseconds(0))) {
            holder::PayloadReader in(frame->payload);
            if (frame->type == Type::Output) {
                const auto offset = in.u64();
                const auto bytes = in.rest();
                received = offset + bytes.size();
                std::string json;
                if (output.options().json) {
                    // JSON text: whole characters, so one cut in two waits for its end.
                    std::string data = carry + std::string(bytes);
                    carry = data.substr(data.size() - maestro::json::incompleteUtf8Tail(data));
                    data.resize(data.size() - carry.size());
                    if (data.empty()) continue;
                    json =
                        outputMessage(id, offset + bytes.size() - carry.size() - data.size(), data);
                }
                if (!output.streamItem(json, [bytes](TextOut& out) { out.stream() << bytes; }))
                    return Result{.streamed = true};
            } else if (frame->type == Type::State) {
                const auto state = holder::parseState(frame->payload);
                // An exit notice can overtake the Attach; then the output and the notice follow.
                ended = state.exited && received >= state.outputEnd;
                if (ended && !carry.empty()) {
                    output.streamItem(outputMessage(id, state.outputEnd - carry.size(), carry), {});
                }
            } else if (frame->type == Type::Error && !std::exchange(inputLost, true)) {
                in.u8();
                note("input not delivered: " + std::string(in.rest()));
            }
        }
        if (ended) break;
        if (!holder.open())
            throw CliError(kExitUnavailable, "holder_lost",
                           "the holder of session " + id + " went away");
        pollfd watched[3] = {{holder.fd(), POLLIN, 0},
                             {keys ? STDIN_FILENO : -1, POLLIN, 0},
                             {resized ? resized->fd() : -1, POLLIN, 0}};
        if (::poll(watched, 3, -1) < 0) continue; // a signal: look again
        if (watched[2].revents) {
            resized->clear();
            resize();
        }
        if (watched[1].revents) {
            auto read = readKeys(raw);
            if (!read.bytes.empty()) {
                for (std::size_t at = 0; at < read.bytes.size(); at += holder::kMaxChunk)
                    holder.send(Type::Input,
                                std::string_view(read.bytes).substr(at, holder::kMaxChunk));
            }
            if (read.ended) keys = false;
            detached = read.detach;
        }
    }
    terminal.reset();
    if (detached) output.note("detached from " + id);
    Result result;
    result.streamed = true;
    return result;
}

// Attaches through the session's holder when it is on this machine, else through the server.
Result attachSession(const std::string& id, const SessionOptions& o, Invocation& inv) {
    if (auto holder = holder::Connection::open(maestroHome() / "sessions" / id))
        return attachToHolder(*holder, id, o, inv);
    return attachThroughServer(id, o, inv);
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
        return attachSession(id, o, inv);
    case SessionAction::Input: {
        // The words as one line, then Enter (a carriage return, as a terminal sends it).
        std::string data;
        for (const auto& word : o.text)
            data += (data.empty() ? "" : " ") + word;
        if (!o.noEnter) data += '\r';
        maestro::json::Writer body;
        body.beginObject().field("data", data).endObject();
        auto answer = inv.api().postAction(sessionPath(id) + "/input", body.take()).body;
        return Result{answer, [id](TextOut& out) { out.line("Sent input to " + id); }, {id}};
    }
    case SessionAction::Screen: {
        auto body = inv.api().get(sessionPath(id) + "/screen").body;
        auto screen = json::parseObject(body);
        return Result{body,
                      [screen](TextOut& out) {
                          for (const auto& line : json::strings(screen, "lines"))
                              out.line(line);
                      },
                      {id}};
    }
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
    spawn
        ->add_option("--node", o->node,
                     "The node to run it on (default: the project's, else the server's)")
        ->type_name("NODE");

    sessionArgument(add("stop", "Stop a session", SessionAction::Stop));
    auto* attach = add("attach",
                       "Attach to a session's terminal until it exits: its output, and your keys "
                       "when stdin is a terminal (Ctrl-] detaches)",
                       SessionAction::Attach);
    sessionArgument(attach);
    auto* input = attach->add_flag("--input", o->input,
                                   "Forward stdin to the session even when it is not a terminal");
    attach->add_flag("--no-input", o->noInput, "Only print the output, even on a terminal")
        ->excludes(input);
    auto* type =
        add("input", "Type TEXT into a session's terminal, then Enter (answers what it asks)",
            SessionAction::Input);
    type->add_option("SESSION", o->session, "Session id")->required();
    type->add_option("TEXT", o->text, "What to type")->required();
    type->add_flag("--no-enter", o->noEnter, "Do not press Enter after TEXT");
    sessionArgument(add("screen", "Print what a session's terminal shows, as plain text",
                        SessionAction::Screen));
    auto* logs = add("logs", "Print a session's recorded output", SessionAction::Logs);
    sessionArgument(logs);
    logs->add_option("--since", o->since, "Only output after this byte offset")
        ->type_name("OFFSET")
        ->check(CLI::NonNegativeNumber);
    setupSessionChanges(*group, table);
}

} // namespace maestro::cli::commands
