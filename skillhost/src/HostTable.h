#pragma once

// Internal to maestro::skillhost: the host function table one skill is given, and what the
// skill registered through it.

#include "skillhost/HostServices.h"
#include "skillhost/SkillInfo.h"
#include "skillhost/TemplateRenderer.h"

#include <atomic>
#include <maestro/skill_abi.h>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace maestro::skillhost {

// What a skill registered, with the callbacks that point into its library.
struct CommandEntry {
    CommandInfo info;
    void* userData = nullptr;
    decltype(maestro_command::run) run = nullptr;
    decltype(maestro_command::destroy) destroy = nullptr;
};

struct TemplateEntry {
    TemplateInfo info;
    std::optional<Template> text; // static text, parsed at registration
    void* userData = nullptr;
    decltype(maestro_template::render) render = nullptr;
    decltype(maestro_template::destroy) destroy = nullptr;
};

struct HookEntry {
    HookInfo info;
    void* userData = nullptr;
    decltype(maestro_spawn_hook::run) run = nullptr;
    decltype(maestro_spawn_hook::destroy) destroy = nullptr;
};

// The maestro_host table of one skill: its functions forward to HostServices, and the
// registration interfaces it hands out check every descriptor and copy what they keep.
// Registration is open only on the thread running init, while it runs (see Registration).
class HostTable {
public:
    HostTable(std::string skillId, std::string skillDir, std::shared_ptr<HostServices> services);
    ~HostTable(); // destroyRegistrations()
    HostTable(const HostTable&) = delete;
    HostTable& operator=(const HostTable&) = delete;

    // What the skill's init receives; it points back to this object.
    const maestro_host* abi() const noexcept { return &table_; }

    // Opens registration on the calling thread for the lifetime of this object.
    class Registration {
    public:
        explicit Registration(HostTable& table);
        ~Registration();
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;

    private:
        HostTable& table_;
    };

    // Throws SkillError with the first descriptor that was refused. A refusal is recorded as
    // well as returned to the skill, so a skill that ignores the error is still rejected.
    void checkRegistrations() const;

    const std::vector<CommandEntry>& commands() const noexcept { return commands_; }
    const std::vector<TemplateEntry>& templates() const noexcept { return templates_; }
    const std::vector<HookEntry>& hooks() const noexcept { return hooks_; }

    // Calls every descriptor's destroy callback, once. Must run before the library is unloaded.
    void destroyRegistrations() noexcept;

private:
    friend struct HostCallbacks;

    std::string id_;
    std::string dir_;
    std::shared_ptr<HostServices> services_;
    maestro_host table_{};

    std::atomic<bool> registering_{false};
    std::thread::id initThread_;
    std::vector<std::string> refusals_;

    std::vector<CommandEntry> commands_;
    std::vector<TemplateEntry> templates_;
    std::vector<HookEntry> hooks_;
};

} // namespace maestro::skillhost
