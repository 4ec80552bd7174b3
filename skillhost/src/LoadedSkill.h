#pragma once

// Internal to maestro::skillhost: one skill library loaded through Boost.DLL, with the C tables
// the ABI needs and the descriptors the skill registered. Embedders use SkillRegistry.

#include "skillhost/HostServices.h"
#include "skillhost/Manifest.h"
#include "skillhost/SkillInfo.h"
#include "skillhost/TemplateRenderer.h"

#include <atomic>
#include <boost/dll/shared_library.hpp>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <maestro/skill_abi.h>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <thread>
#include <vector>

namespace maestro::skillhost {

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

// What a template or hook call gave: MAESTRO_OK and text, or a code and a message.
struct CallResult {
    std::int32_t code = MAESTRO_OK;
    std::string text;
    std::string message;
    bool ok() const noexcept { return code == MAESTRO_OK; }
};

// Where the private copy of a library goes (RegistryOptions explains why there is one).
struct PrivateCopy {
    std::filesystem::path cacheDir;
    bool inMemory = true;
};

class LoadedSkill {
public:
    // Checks, copies, loads and initialises the library of `manifest`. Returns nullptr and sets
    // `reason` when the skill must be rejected; nothing of it stays loaded then.
    static std::shared_ptr<LoadedSkill> load(const Manifest& manifest, const PrivateCopy& copy,
                                             std::shared_ptr<HostServices> services,
                                             std::string& reason);

    // deinit, then the descriptors' destroy callbacks, then unload, then delete the private copy.
    ~LoadedSkill();
    LoadedSkill(const LoadedSkill&) = delete;
    LoadedSkill& operator=(const LoadedSkill&) = delete;

    const std::string& id() const noexcept { return id_; }
    const std::vector<CommandEntry>& commands() const noexcept { return commands_; }
    const std::vector<TemplateEntry>& templates() const noexcept { return templates_; }
    const std::vector<HookEntry>& hooks() const noexcept { return hooks_; }

    // Each call is guarded: whatever the skill throws becomes an exit code / error message.
    int runCommand(std::size_t index, const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err, std::string_view contextJson) const;
    CallResult renderTemplate(std::size_t index, const std::string& contextJson,
                              const Poco::Dynamic::Var& context) const;
    CallResult runHook(std::size_t index, const std::string& planJson) const;

private:
    friend struct AbiCallbacks;
    LoadedSkill() = default;

    std::string open(const Manifest& manifest, const PrivateCopy& copy);
    std::string makePrivateCopy(int fd, const struct stat& info, const Manifest& manifest,
                                const PrivateCopy& copy);
    std::string initialise(const Manifest& manifest);
    void fault(std::string reason);

    // FIRST member, so it is destroyed last: nothing that points into the library may outlive
    // it. The destructor also unloads explicitly before deleting the private copy.
    boost::dll::shared_library library_;
    std::string loadPath_;            // what dlopen was given
    int privateFd_ = -1;              // the in-memory copy, open while loaded
    std::filesystem::path cacheFile_; // or the copy in the cache directory
    const maestro_entry* entry_ = nullptr;
    bool initialised_ = false;

    std::string id_;
    std::string dir_;
    std::shared_ptr<HostServices> services_;
    maestro_host table_{}; // handed to the skill; context points back to this object

    // Registration is open only on the thread running init, while it runs.
    std::atomic<bool> registering_{false};
    std::thread::id initThread_;
    std::vector<std::string> faults_;

    std::vector<CommandEntry> commands_;
    std::vector<TemplateEntry> templates_;
    std::vector<HookEntry> hooks_;
};

} // namespace maestro::skillhost
