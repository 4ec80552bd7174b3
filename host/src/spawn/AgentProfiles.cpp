#include "spawn/AgentProfiles.h"

#include "holder/Executable.h"

#include <Poco/Environment.h>
#include <Poco/JSON/Array.h>
#include <stdexcept>

namespace maestro::host::spawn {

AgentProfiles::AgentProfiles() {
    // Claude Code takes MCP servers from a file with --mcp-config; that option takes several
    // values, so "--" ends the options before the prompt.
    profiles_["claude"] = {
        "claude", "claude", {"--mcp-config", "{mcpConfig}", "--", "{brief}"}, {}};
    profiles_["shell"] = {"shell", "/bin/sh", {}, {}};
}

void AgentProfiles::load(const Poco::JSON::Object::Ptr& agents) {
    if (!agents) return;
    for (const auto& [name, value] : *agents) {
        auto fail = [&agent = name](const std::string& why) {
            throw std::runtime_error("agent profile '" + agent + "': " + why);
        };
        if (value.type() != typeid(Poco::JSON::Object::Ptr)) fail("must be an object");
        auto object = value.extract<Poco::JSON::Object::Ptr>();
        AgentProfile profile{name, {}, {}, {}};
        if (!object->has("command") || !object->get("command").isString())
            fail("needs a \"command\" string");
        profile.command = object->getValue<std::string>("command");
        if (profile.command.empty()) fail("\"command\" is empty");
        if (object->has("args")) {
            auto args = object->getArray("args");
            if (!args) fail("\"args\" must be an array of strings");
            for (std::size_t i = 0; i < args->size(); ++i) {
                auto arg = args->get(static_cast<unsigned>(i));
                if (!arg.isString()) fail("\"args\" must be an array of strings");
                profile.args.push_back(arg.extract<std::string>());
            }
        }
        if (object->has("env")) {
            auto env = object->getObject("env");
            if (!env) fail("\"env\" must be an object of strings");
            for (const auto& [key, v] : *env) {
                if (!v.isString()) fail("\"env\" must be an object of strings");
                profile.env[key] = v.extract<std::string>();
            }
        }
        profiles_[name] = std::move(profile);
    }
}

std::optional<AgentProfile> AgentProfiles::find(const std::string& name) const {
    auto it = profiles_.find(name);
    if (it == profiles_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> AgentProfiles::names() const {
    std::vector<std::string> names;
    for (const auto& [name, profile] : profiles_)
        names.push_back(name);
    return names;
}

std::optional<std::string> unavailableReason(const AgentProfile& profile) {
    const auto& command = profile.command;
    if (command.find('/') != std::string::npos) {
        if (command.front() != '/') return std::nullopt;
        if (!holder::findExecutable(command, {}, "/").empty()) return std::nullopt;
        return "not an executable file: " + command;
    }
    auto own = profile.env.find("PATH");
    // The same fallback as the holder's for an environment without PATH.
    auto path =
        own != profile.env.end() ? own->second : Poco::Environment::get("PATH", "/usr/bin:/bin");
    if (!holder::findExecutable(command, path, "/").empty()) return std::nullopt;
    return "command not found on PATH: " + command;
}

std::vector<std::string> expandArgs(const std::vector<std::string>& args,
                                    const Placeholders& values) {
    const std::pair<std::string_view, const std::string*> kPlaceholders[] = {
        {"{brief}", &values.brief},
        {"{briefFile}", &values.briefFile},
        {"{sessionId}", &values.sessionId},
        {"{taskId}", &values.taskId},
        {"{mcpConfig}", &values.mcpConfig}};
    std::vector<std::string> expanded;
    for (const auto& arg : args) {
        // One pass: an inserted value is never scanned again (a brief may contain "{taskId}").
        std::string out;
        for (std::size_t i = 0; i < arg.size();) {
            bool replaced = false;
            for (const auto& [name, value] : kPlaceholders) {
                if (arg.compare(i, name.size(), name) == 0) {
                    out += *value;
                    i += name.size();
                    replaced = true;
                    break;
                }
            }
            if (!replaced) out += arg[i++];
        }
        expanded.push_back(std::move(out));
    }
    return expanded;
}

} // namespace maestro::host::spawn
