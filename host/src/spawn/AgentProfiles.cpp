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
    // The agents' own ways to start interactively with a first prompt, and what their
    // permission prompts say (docs/sessions.md, "Built-in agents", cites the sources).
    AgentProfile claude{"claude", "claude", {}, {}, {}};
    // Claude Code merges --settings into its own settings: the file holds the hooks that tell
    // Maestro about permission prompts and finished turns. --mcp-config takes several values,
    // so "--" ends the options before the prompt.
    claude.args = {"--settings", "{hooksFile}", "--mcp-config", "{mcpConfig}", "--", "{brief}"};
    claude.hooks = "claude";
    claude.activity.needsInputPatterns = {
        R"(Do you want to (proceed|make this edit|create|run|allow))",
        R"(No, and tell Claude what to do differently)", R"((?i)\(y/n\))"};
    claude.activity.needsInputLines = 15;
    profiles_["claude"] = std::move(claude);

    AgentProfile codex{"codex", "codex", {"{brief}"}, {}, {}};
    codex.activity.needsInputPatterns = {R"(Would you like to (run|make|apply))",
                                         R"(tell Codex what to do differently)",
                                         R"((?i)allow command\?)"};
    codex.activity.needsInputLines = 20;
    profiles_["codex"] = std::move(codex);

    AgentProfile gemini{"gemini", "gemini", {"--prompt-interactive", "{brief}"}, {}, {}};
    gemini.activity.needsInputPatterns = {R"(Allow execution)", R"(Apply this change\?)",
                                          R"(Yes, allow (once|always))"};
    gemini.activity.needsInputLines = 20;
    profiles_["gemini"] = std::move(gemini);

    AgentProfile opencode{"opencode", "opencode", {"--prompt", "{brief}"}, {}, {}};
    opencode.activity.needsInputPatterns = {R"(Permission required)", R"(Allow (once|always))"};
    opencode.activity.needsInputLines = 30;
    profiles_["opencode"] = std::move(opencode);

    profiles_["shell"] = {"shell", "/bin/sh", {}, {}, {}};
}

void AgentProfiles::load(const Poco::JSON::Object::Ptr& agents) {
    if (!agents) return;
    for (const auto& [name, value] : *agents) {
        auto fail = [&agent = name](const std::string& why) {
            throw std::runtime_error("agent profile '" + agent + "': " + why);
        };
        if (value.type() != typeid(Poco::JSON::Object::Ptr)) fail("must be an object");
        auto object = value.extract<Poco::JSON::Object::Ptr>();
        AgentProfile profile{name, {}, {}, {}, {}};
        // A profile that redefines a built-in one keeps its activity rules and hooks unless it
        // gives its own.
        if (auto builtIn = profiles_.find(name); builtIn != profiles_.end()) {
            profile.activity = builtIn->second.activity;
            profile.hooks = builtIn->second.hooks;
        }
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
        if (object->has("hooks")) {
            auto hooks = object->get("hooks");
            if (!hooks.isString() ||
                (hooks.extract<std::string>() != "claude" && !hooks.extract<std::string>().empty()))
                fail("\"hooks\" must be \"claude\" or \"\"");
            profile.hooks = hooks.extract<std::string>();
        }
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

std::string executableOf(const AgentProfile& profile) {
    const auto& command = profile.command;
    if (command.find('/') != std::string::npos)
        return command.front() == '/' ? holder::findExecutable(command, {}, "/") : std::string();
    auto own = profile.env.find("PATH");
    // The same fallback as the holder's for an environment without PATH.
    auto path =
        own != profile.env.end() ? own->second : Poco::Environment::get("PATH", "/usr/bin:/bin");
    return holder::findExecutable(command, path, "/");
}

std::optional<std::string> unavailableReason(const AgentProfile& profile) {
    const auto& command = profile.command;
    if (command.find('/') != std::string::npos && command.front() != '/') return std::nullopt;
    if (!executableOf(profile).empty()) return std::nullopt;
    if (command.find('/') != std::string::npos) return "not an executable file: " + command;
    return "command not found on PATH: " + command;
}

std::vector<std::string> expandArgs(const std::vector<std::string>& args,
                                    const Placeholders& values) {
    const std::pair<std::string_view, const std::string*> kPlaceholders[] = {
        {"{brief}", &values.brief},         {"{briefFile}", &values.briefFile},
        {"{sessionId}", &values.sessionId}, {"{taskId}", &values.taskId},
        {"{mcpConfig}", &values.mcpConfig}, {"{hooksFile}", &values.hooksFile}};
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
