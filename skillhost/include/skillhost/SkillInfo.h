#pragma once

#include <Poco/JSON/Object.h>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::skillhost {

// Plain values describing the skills a registry knows. They hold no pointer into any library,
// so they can be kept, copied and sent anywhere after the skill is gone.

struct CommandOptionInfo {
    std::string name;      // "--reason" or "TASK"
    std::string valueName; // "TEXT"; empty for a flag
    std::string summary;
    bool required = false;
};

struct CommandInfo {
    std::string path; // "worker init"
    std::string summary;
    std::vector<CommandOptionInfo> options;
};

struct TemplateInfo {
    std::string id;
    std::vector<std::string> roles;
    bool dynamic = false; // rendered by a callback rather than from static text
};

struct HookInfo {
    std::string id;
    std::vector<std::string> roles;
    int order = 0;
};

enum class SkillStatus {
    Loaded,       // library loaded and initialised; its registrations are live
    Rejected,     // unusable; `reason` says why
    Instructions, // instruction-only skill (no library)
    Available,    // lazy registries only: manifest read, library not loaded yet
};
std::string_view
toString(SkillStatus status); // "loaded" | "rejected" | "instructions" | "available"

struct SkillInfo {
    std::string id;
    std::string name;
    std::string version;
    std::string description;
    std::vector<std::string> roles;
    std::filesystem::path dir;
    std::string library; // file name inside dir; empty for instruction-only skills
    std::string abi;     // as declared by manifest.json
    SkillStatus status = SkillStatus::Rejected;
    std::string reason;       // why it was rejected; empty otherwise
    std::string instructions; // skill.md text (front matter removed)
    // What the skill registered when loaded; the commands declared by manifest.json otherwise.
    std::vector<CommandInfo> commands;
    std::vector<TemplateInfo> templates;
    std::vector<HookInfo> hooks;
};

enum class ChangeKind { Loaded, Reloaded, Unloaded, Rejected };

// One outcome of SkillRegistry::rescan / reload, to be announced as a skill:* event.
struct SkillChange {
    ChangeKind kind = ChangeKind::Loaded;
    std::string id;
    std::filesystem::path dir;
    std::string reason; // for Rejected
};

// The WebSocket event type of a change: "skill:loaded" (also for Reloaded), "skill:unloaded",
// "skill:rejected".
std::string_view eventType(ChangeKind kind);
std::string_view toString(ChangeKind kind); // "loaded" | "reloaded" | "unloaded" | "rejected"

// The JSON shape of GET /api/skills items:
// {id, name, version, description, roles[], dir, library, abi, status, reason, instructions,
//  commands[{name, summary, options[{name, valueName, summary, required}]}],
//  templates[{id, roles[], dynamic}], hooks[{id, roles[], order}]}
Poco::JSON::Object::Ptr toJson(const SkillInfo& info);
// {id, dir, change, reason} — the data of a skill:* event.
Poco::JSON::Object::Ptr toJson(const SkillChange& change);

} // namespace maestro::skillhost
