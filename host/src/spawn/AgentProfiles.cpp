#include "spawn/AgentProfiles.h"

#include "holder/Executable.h"

#include <Poco/Environment.h>
#include <Poco/JSON/Array.h>
#include <stdexcept>

namespace maestro::host::spawn {

namespace {

template <class Fail>
int positiveInteger(const Poco::JSON::Object& object, const std::string& key, int max,
                    const Fail& fail) {
    auto value = object.get(key);
    if (!value.isInteger() || value.convert<long long>() < 1 || value.convert<long long>() > max)
        fail("\"" + key + "\" must be an integer 1-" + std::to_string(max));
    return value.convert<int>();
}

// needsInputPatterns, needsInputLines, idleAfterMs and startTimeoutMs (activity/ActivityRules.h).
template <class Fail>
void loadActivityRules(const Poco::JSON::Object& object, activity::ActivityRules& rules,
                       const Fail& fail) {
    if (object.has("needsInputPatterns")) {
        auto patterns = object.getArray("needsInputPatterns");
        if (!patterns) fail("\"needsInputPatterns\" must be an array of strings");
        rules.needsInputPatterns.clear();
        for (std::size_t i = 0; i < patterns->size(); ++i) {
            auto pattern = patterns->get(static_cast<unsigned>(i));
            if (!pattern.isString()) fail("\"needsInputPatterns\" must be an array of strings");
            rules.needsInputPatterns.push_back(pattern.extract<std::string>());
        }
        try {
            activity::PromptMatcher(rules.needsInputPatterns, 1);
        } catch (const std::runtime_error& e) {
            fail(e.what());
        }
    }
    constexpr int kDay = 24 * 3600 * 1000;
    if (object.has("needsInputLines"))
        rules.needsInputLines = positiveInteger(object, "needsInputLines", 1000, fail);
    if (object.has("idleAfterMs"))
        rules.idleAfter =
            std::chrono::milliseconds(positiveInteger(object, "idleAfterMs", kDay, fail));
    if (object.has("startTimeoutMs"))
        rules.startTimeout =
            std::chrono::milliseconds(positiveInteger(object, "startTimeoutMs", kDay, fail));
}

} // namespace

AgentProfiles::AgentProfiles() {
    // Claude Code takes MCP servers from a file with --mcp-config; that option takes several
    // values, so "--" ends the options before the prompt.
    profiles_["claude"] = {
        "claude", "claude", {"--mcp-config", "{mcpConfig}", "--", "{brief}"}, {}, {}};
    profiles_["shell"] = {"shell", "/bin/sh", {}, {}, {}};
}

void AgentProfiles::load(const Poco::JSON::Object::Ptr& agents) {
    if (!agents) return;
    for (const auto& [name, value] : *agents) {
        auto fail = [&name](const std::string& why) {
            throw std::runtime_error("agent profile '" + name + "': " + why);
        };
        if (value.type() != typeid(Poco::JSON::Object::Ptr)) fail("must be an object");
        auto object = value.extract<Poco::JSON::Object::Ptr>();
        AgentProfile profile{name, {}, {}, {}, {}};
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
        loadActivityRules(*object, profile.activity, fail);
        profiles_[name] = std::move(profile);
    }
}

std::optional<AgentProfile> AgentProfiles::find(const std::string& name) const {
    auto it = profiles_.find(name);
    if (it == profiles_.end()) return std::nullopt;
    return it->second;
}

const activity::ActivityRules* AgentProfiles::rules(const std::string& name) const {
    auto it = profiles_.find(name);
    return it == profiles_.end() ? nullptr : &it->second.activity;
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
