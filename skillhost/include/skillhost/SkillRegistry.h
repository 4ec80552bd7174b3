#pragma once

#include "skillhost/Discovery.h"
#include "skillhost/HostServices.h"
#include "skillhost/Manifest.h"
#include "skillhost/SkillInfo.h"
#include "skillhost/SpawnPlan.h"
#include "skillhost/TemplateRenderer.h"

#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::skillhost {

class LoadedSkill;

struct RegistryOptions {
    // Where skill folders live, in precedence order (see skillRoots()).
    std::vector<std::filesystem::path> roots;
    // Every load runs a private copy of the library, so a changed library is really loaded
    // again even while the old copy is still mapped, and rewriting the file on disk cannot
    // change running code. The copy lives in memory (memfd) when `memoryCopies` is set and the
    // kernel offers it; otherwise it is a file in `cacheDir`, a per-process directory such as
    // <home>/cache/skills/<pid>, named <id>-<hash>.<n>.so and deleted when the skill unloads.
    std::filesystem::path cacheDir;
    // true (the server): rescan() loads every library. false (the CLI): rescan() only reads
    // manifests (status "available") and runCommand() loads just the skill that owns the command.
    bool loadLibraries = true;
    // See cacheDir. false: always copy to cacheDir.
    bool memoryCopies = true;
};

// One part of a brief, in brief order.
struct RenderedTemplate {
    std::string skillId;
    std::string templateId; // "skill.md" for a skill's instructions
    std::string text;
    std::string error; // non-empty: rendering failed (text is empty), reason for the log
};

struct SpawnHookOutcome {
    enum class Verdict { Allowed, Vetoed, Failed };
    Verdict verdict = Verdict::Allowed;
    std::string reason;  // why not: the veto reason or the failure, naming skill and hook
    std::string skillId; // the skill and hook that stopped the spawn
    std::string hookId;
    bool allowed() const noexcept { return verdict == Verdict::Allowed; }
};

// The skills a process knows: discovery, loading, hot reload and the registry of what skills
// registered. Thread-safe: every method may be called from any thread. Calls into skills run
// without holding the registry's lock, so a skill being unloaded stays loaded until the calls
// into it return ("callbacks are stored only in the registry": in-flight calls share ownership).
//
// A skill that crashes (SIGSEGV, abort) takes the process with it: that cannot be contained
// in-process. A skill that throws is contained at every call.
class SkillRegistry {
public:
    SkillRegistry(std::shared_ptr<HostServices> services, RegistryOptions options);
    // Unloads every skill (unregister, deinit, destroy callbacks, unload library).
    ~SkillRegistry();
    SkillRegistry(const SkillRegistry&) = delete;
    SkillRegistry& operator=(const SkillRegistry&) = delete;

    // Compares the skill folders on disk with what is known: a new folder is loaded, a folder
    // whose files changed (size, mtime or inode of any file in it) is reloaded, a vanished one
    // is unloaded. Folders are handled in discovery order (roots in order, folders by name), so
    // when two skills claim the same id or command path the earlier one keeps it and the later
    // one is rejected. Returns what changed, for skill:* events.
    std::vector<SkillChange> rescan();

    // Loads the skill `id` again from its folder; nullopt when no skill has that id.
    std::optional<SkillChange> reload(std::string_view id);

    // Every known skill (rejected ones too), sorted by id.
    std::vector<SkillInfo> list() const;
    std::optional<SkillInfo> get(std::string_view id) const;
    // The usable skills (loaded, instruction-only or available) whose roles include `role` or "*".
    std::vector<SkillInfo> forRole(std::string_view role) const;

    // Runs the skill command `path` ("worker init") with the arguments after the path. Returns its
    // exit code, or nullopt when no usable skill provides the command. A skill that throws gives
    // exit code 70 and a message on `err`.
    std::optional<int> runCommand(std::string_view path, const std::vector<std::string>& args,
                                  std::ostream& out, std::ostream& err,
                                  std::string_view contextJson);

    // The brief parts for a session of `role`, in order: the maestro-cli skill first, then the
    // other skills by id; within a skill its templates for the role in registration order. A
    // usable skill for the role that has no template for it contributes its skill.md instead
    // (this is how instruction-only skills reach briefs). Throws SkillError when contextJson
    // is not JSON.
    std::vector<RenderedTemplate> renderTemplates(std::string_view role,
                                                  std::string_view contextJson) const;
    // The texts of renderTemplates joined by blank lines, failed parts left out.
    std::string renderBrief(std::string_view role, std::string_view contextJson) const;

    // Runs the spawn hooks for `role` on `plan` in ascending hook order, ties by skill id, then
    // registration order, applying each hook's patch to the plan: each hook sees the plan as
    // the previous ones left it. A veto or a failing hook stops the chain.
    SpawnHookOutcome runSpawnHooks(std::string_view role, SpawnPlan& plan) const;

    const std::vector<std::filesystem::path>& roots() const noexcept { return options_.roots; }

private:
    struct Record {
        Fingerprint fingerprint;
        SkillInfo info;
        std::optional<Manifest> manifest;
        std::shared_ptr<LoadedSkill> skill;
    };
    using Graveyard = std::vector<std::shared_ptr<LoadedSkill>>;

    Record build(const std::filesystem::path& dir, Fingerprint fingerprint, bool loadLibrary) const;
    SkillChange commit(const std::filesystem::path& dir, Record candidate, Graveyard& graveyard);
    // Throws SkillError when the candidate claims an id or command a usable skill has.
    void checkConflicts(const std::filesystem::path& dir, const Record& candidate) const;
    bool loadProviderOf(std::string_view path);

    std::shared_ptr<HostServices> services_;
    RegistryOptions options_;
    std::mutex scanMutex_;                            // one rescan / reload / lazy load at a time
    mutable std::shared_mutex mutex_;                 // guards records_
    std::map<std::filesystem::path, Record> records_; // by folder
};

} // namespace maestro::skillhost
