#pragma once

#include "activity/ActivityRules.h"

#include <Poco/JSON/Object.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::spawn {

// How to start one kind of agent: config.json {"agents":{"NAME":{"command","args","env",
// "needsInputPatterns","needsInputLines","idleAfterMs","startTimeoutMs","hooks"}}}. In args,
// {brief}, {briefFile}, {sessionId}, {taskId}, {mcpConfig} (the session's MCP configuration
// file, see McpConfig.h) and {hooksFile} (the agent's hooks settings, see AgentHooks.h) are
// replaced at spawn time.
struct AgentProfile {
    std::string name;
    std::string command;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    activity::ActivityRules activity;
    // "claude": the session gets a Claude Code settings file whose hooks report to Maestro
    // ({hooksFile}); "": none.
    std::string hooks;
};

class AgentProfiles {
public:
    // claude (`claude --settings {hooksFile} --mcp-config {mcpConfig} -- "{brief}"`: Maestro's
    // hooks and tools, and the brief as the first prompt), codex, gemini and opencode (each
    // started interactively with the brief as its first prompt) and shell (`/bin/sh`).
    AgentProfiles();

    // Adds or replaces profiles from config.json's "agents" object. Throws std::runtime_error
    // naming the profile and the problem.
    void load(const Poco::JSON::Object::Ptr& agents);

    std::optional<AgentProfile> find(const std::string& name) const;
    // The profile's activity rules; nullptr for an unknown profile.
    const activity::ActivityRules* rules(const std::string& name) const;
    std::vector<std::string> names() const;
    const std::string& defaultName() const noexcept { return default_; }
    void setDefault(std::string name) { default_ = std::move(name); }

private:
    std::map<std::string, AgentProfile> profiles_;
    std::string default_ = "claude";
};

// Why the profile's command could not start, or nullopt when it can: a bare name must be an
// executable on the session's PATH (the profile's own "PATH" when its env sets one, else the
// server's); a path must be an executable file. A relative path is resolved against the
// project's directory when a session starts, so it is not judged here.
std::optional<std::string> unavailableReason(const AgentProfile& profile);
// The executable the profile's command names, found as unavailableReason() looks for it; empty
// when there is none (or it is relative to a project's directory).
std::string executableOf(const AgentProfile& profile);

struct Placeholders {
    std::string brief;
    std::string briefFile;
    std::string sessionId;
    std::string taskId;
    std::string mcpConfig;
    std::string hooksFile;
};

// The profile's args with every placeholder replaced.
std::vector<std::string> expandArgs(const std::vector<std::string>& args,
                                    const Placeholders& values);

} // namespace maestro::host::spawn
