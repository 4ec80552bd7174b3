// Shared by the default skills' commands: calling the Maestro API through the host, and the
// brief the server renders for a task (GET /api/tasks/:id/brief, the one brief builder), so
// `maestro worker init` prints exactly the brief a spawned worker receives. Header-only: each
// skill library gets its own copy.
#pragma once

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <maestro/skill.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

namespace maestro::plugins {

using skill::CommandCall;
using skill::Host;

// A command failure with the exit code it maps to (docs/cli.md, "Exit codes and errors").
class CommandFailure : public std::runtime_error {
public:
    CommandFailure(int exitCode, const std::string& message)
        : std::runtime_error(message), exitCode_(exitCode) {}
    int exitCode() const noexcept { return exitCode_; }

private:
    int exitCode_;
};

inline Poco::Dynamic::Var parseJson(const std::string& text) {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return parser.parse(text);
}

inline std::string toJson(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

// Calls the API and returns the parsed body; a non-2xx status becomes a CommandFailure carrying
// the server's message.
inline Poco::Dynamic::Var callApi(const Host& host, const std::string& method,
                                  const std::string& path, const std::string& body = {}) {
    skill::ApiResponse response;
    try {
        response = host.callApi(method, path, body);
    } catch (const skill::Error& e) {
        throw CommandFailure(skill::kExitUnavailable,
                             std::string("cannot reach the Maestro server: ") + e.what());
    }
    Poco::Dynamic::Var parsed;
    try {
        parsed = parseJson(response.body);
    } catch (const Poco::Exception&) {
        // Left empty: a non-JSON body is reported by status below, or is not needed.
    }
    if (!response.ok()) {
        std::string message =
            method + " " + path + " failed with HTTP " + std::to_string(response.status);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
            const auto& error = parsed.extract<Poco::JSON::Object::Ptr>();
            if (error->has("message")) message += ": " + error->getValue<std::string>("message");
        }
        throw CommandFailure(skill::kExitRefused, message);
    }
    return parsed;
}

inline Poco::JSON::Object::Ptr getObject(const Host& host, const std::string& path) {
    const auto value = callApi(host, "GET", path);
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw CommandFailure(skill::kExitInternal, "GET " + path + " did not return an object");
    }
    return value.extract<Poco::JSON::Object::Ptr>();
}

inline Poco::JSON::Object::Ptr parseObjectOrEmpty(std::string_view json) {
    try {
        const auto value = parseJson(std::string(json));
        if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
            return value.extract<Poco::JSON::Object::Ptr>();
        }
    } catch (const Poco::Exception&) {
        // An unusable session context is treated as an empty one.
    }
    return new Poco::JSON::Object;
}

inline std::string stringOr(const Poco::JSON::Object::Ptr& object, const std::string& key,
                            const std::string& fallback = {}) {
    if (object && object->has(key) && object->get(key).isString()) {
        return object->getValue<std::string>(key);
    }
    return fallback;
}

// TASK from the first argument, else the session context's taskId, else $MAESTRO_TASK_ID.
inline std::string resolveTaskId(const CommandCall& call,
                                 const Poco::JSON::Object::Ptr& sessionContext) {
    for (const auto arg : call.args) {
        if (!arg.starts_with("-")) return std::string(arg);
    }
    std::string id = stringOr(sessionContext, "taskId");
    if (id.empty()) {
        const char* env = std::getenv("MAESTRO_TASK_ID");
        id = env != nullptr ? env : "";
    }
    if (id.empty()) {
        throw CommandFailure(skill::kExitUsage, "no task: pass TASK or set MAESTRO_TASK_ID");
    }
    return id;
}

// The brief of `role` for the task as the server renders it — for this session, when the
// context names one, the brief it was spawned with (GET /api/tasks/:id/brief):
// {taskId, role, sessionId, context{…}, brief}. `context` is the template context
// (docs/skills.md, "Template context").
inline Poco::JSON::Object::Ptr fetchBrief(const Host& host, const std::string& role,
                                          const std::string& taskId,
                                          const Poco::JSON::Object::Ptr& sessionContext) {
    std::string path = "/api/tasks/" + taskId + "/brief?role=" + role;
    const std::string sessionId = stringOr(sessionContext, "sessionId");
    if (!sessionId.empty()) path += "&sessionId=" + sessionId;
    auto brief = getObject(host, path);
    if (!brief->getObject("context") || !brief->getObject("context")->getObject("task"))
        throw CommandFailure(skill::kExitInternal, "GET " + path + " did not return a brief");
    return brief;
}

// Marks the task in progress unless it already is, or is finished.
inline void markInProgress(const Host& host, const Poco::JSON::Object::Ptr& task,
                           const CommandCall& call) {
    const std::string status = stringOr(task, "status");
    if (status == "in_progress" || status == "completed" || status == "cancelled") return;
    const std::string id = stringOr(task, "id");
    callApi(host, "PATCH", "/api/tasks/" + id, R"({"status":"in_progress"})");
    call.err << "maestro: task " << id << " is now in progress\n";
}

// Runs a command body, turning failures into "error: …" on stderr and the mapped exit code.
inline int guardCommand(const CommandCall& call, const std::function<int()>& body) {
    try {
        return body();
    } catch (const CommandFailure& e) {
        call.err << "error: " << e.what() << "\n";
        return e.exitCode();
    } catch (const Poco::Exception& e) {
        call.err << "error: " << e.displayText() << "\n";
        return skill::kExitInternal;
    }
}

// `<role> init [TASK]`: prints the role's brief for the task — exactly what a spawned session
// of the role finds in its brief file — and marks the task in progress.
inline int runInitCommand(const Host& host, const CommandCall& call, const std::string& role) {
    return guardCommand(call, [&] {
        const auto sessionContext = parseObjectOrEmpty(call.contextJson);
        const std::string taskId = resolveTaskId(call, sessionContext);
        const auto brief = fetchBrief(host, role, taskId, sessionContext);
        const std::string text = stringOr(brief, "brief");
        if (text.empty())
            throw CommandFailure(skill::kExitInternal,
                                 "the server's skills render no " + role + " brief: is maestro-" +
                                     role + " installed where the server finds its skills?");
        call.out << text;
        markInProgress(host, brief->getObject("context")->getObject("task"), call);
        return skill::kExitOk;
    });
}

// The text of a file in the skill's folder (e.g. its skill.md); throws if it cannot be read.
inline std::string readSkillFile(const Host& host, const std::string& name) {
    const std::string path = std::string(host.skillDir()) + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace maestro::plugins
