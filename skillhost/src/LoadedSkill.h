#pragma once

// Internal to maestro::skillhost: the life of one loaded skill — its library, the ABI
// handshake, init with its host table, the calls into it, and deinit. Embedders use
// SkillRegistry.

#include "HostTable.h"
#include "SkillLibrary.h"
#include "skillhost/HostServices.h"
#include "skillhost/Manifest.h"

#include <Poco/Dynamic/Var.h>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::skillhost {

class LoadedSkill {
public:
    // Checks, copies, loads and initialises the library of `manifest`. Throws SkillError when
    // the skill must be rejected; nothing of it stays loaded then.
    static std::shared_ptr<LoadedSkill> load(const Manifest& manifest, const PrivateCopy& copy,
                                             std::shared_ptr<HostServices> services);

    // deinit, then the descriptors' destroy callbacks, then unload, then the private copy goes.
    ~LoadedSkill();
    LoadedSkill(const LoadedSkill&) = delete;
    LoadedSkill& operator=(const LoadedSkill&) = delete;

    const std::string& id() const noexcept { return id_; }
    const std::vector<CommandEntry>& commands() const noexcept { return table_.commands(); }
    const std::vector<TemplateEntry>& templates() const noexcept { return table_.templates(); }
    const std::vector<HookEntry>& hooks() const noexcept { return table_.hooks(); }

    // Runs a command; whatever the skill throws becomes exit code 70 and a message on `err`.
    int runCommand(std::size_t index, const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err, std::string_view contextJson) const;
    // The text a template rendered, or SkillError: the skill's failure status and message, or
    // MAESTRO_ERR_EXCEPTION for whatever it threw.
    std::string renderTemplate(std::size_t index, const std::string& contextJson,
                               const Poco::Dynamic::Var& context) const;
    // The patch a spawn hook returned (JSON text, maybe empty), or SkillError as above;
    // code() is MAESTRO_ERR_VETO when the hook vetoed the spawn.
    std::string runHook(std::size_t index, const std::string& planJson) const;

private:
    LoadedSkill(const Manifest& manifest, const PrivateCopy& copy,
                std::shared_ptr<HostServices> services);
    void initialise(const Manifest& manifest);

    // FIRST member, so it is destroyed last: nothing that points into the library may outlive
    // it. The destructor also empties the table explicitly before it goes.
    SkillLibrary library_;
    std::string id_;
    HostTable table_; // handed to the skill's init
    bool initialised_ = false;
};

} // namespace maestro::skillhost
