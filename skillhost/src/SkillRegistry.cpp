#include "skillhost/SkillRegistry.h"

#include "LoadedSkill.h"
#include "skillhost/SkillError.h"
#include "skillhost/TemplateRenderer.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace maestro::skillhost {

namespace fs = std::filesystem;

namespace {

// The skill whose templates open every brief (the command reference comes first).
constexpr std::string_view kCliSkillId = "maestro-cli";

bool usable(SkillStatus status) {
    return status != SkillStatus::Rejected;
}

std::vector<CommandInfo> declaredCommands(const Manifest& manifest) {
    std::vector<CommandInfo> commands;
    for (const auto& command : manifest.commands) {
        commands.push_back(CommandInfo{command.name, command.summary, {}});
    }
    return commands;
}

void describeRegistrations(SkillInfo& info, const LoadedSkill& skill) {
    info.commands.clear();
    for (const auto& command : skill.commands())
        info.commands.push_back(command.info);
    for (const auto& tmpl : skill.templates())
        info.templates.push_back(tmpl.info);
    for (const auto& hook : skill.hooks())
        info.hooks.push_back(hook.info);
}

// Orders records for briefs: maestro-cli first, then by id, then by folder.
bool briefOrder(const SkillInfo* a, const SkillInfo* b) {
    const bool aCli = a->id == kCliSkillId;
    const bool bCli = b->id == kCliSkillId;
    return std::tie(bCli, a->id, a->dir) < std::tie(aCli, b->id, b->dir);
}

} // namespace

SkillRegistry::SkillRegistry(std::shared_ptr<HostServices> services, RegistryOptions options)
    : services_(std::move(services)), options_(std::move(options)) {}

SkillRegistry::~SkillRegistry() {
    Graveyard graveyard;
    {
        std::unique_lock lock(mutex_);
        for (auto& [dir, record] : records_)
            graveyard.push_back(std::move(record.skill));
        records_.clear();
    }
    // graveyard goes out of scope here: deinit, destroy callbacks, unload — outside the lock.
}

// `fingerprint` must be taken before the folder is read, so a change made while it is read is
// seen by the next rescan.
SkillRegistry::Record SkillRegistry::build(const fs::path& dir, Fingerprint fingerprint,
                                           bool loadLibrary) const {
    Record record;
    record.fingerprint = std::move(fingerprint);
    ManifestResult read = readSkillFolder(dir);
    record.info = describeSkillFolder(read);
    SkillInfo& info = record.info;
    if (info.status == SkillStatus::Available && loadLibrary) {
        try {
            record.skill = LoadedSkill::load(
                *read.manifest, PrivateCopy{options_.cacheDir, options_.memoryCopies}, services_);
            info.status = SkillStatus::Loaded;
            describeRegistrations(info, *record.skill);
        } catch (const SkillError& e) {
            info.status = SkillStatus::Rejected;
            info.reason = e.what();
        }
    }
    record.manifest = std::move(read.manifest);
    return record;
}

void SkillRegistry::checkConflicts(const fs::path& dir, const Record& candidate) const {
    for (const auto& [otherDir, other] : records_) {
        if (otherDir == dir || !usable(other.info.status)) continue;
        if (other.info.id == candidate.info.id) {
            throw SkillError("skill id \"" + candidate.info.id + "\" is already provided by " +
                             otherDir.string());
        }
        for (const auto& command : candidate.info.commands) {
            for (const auto& taken : other.info.commands) {
                if (taken.path == command.path) {
                    throw SkillError("command \"" + command.path +
                                     "\" is already registered by skill \"" + other.info.id + "\"");
                }
            }
        }
    }
}

SkillChange SkillRegistry::commit(const fs::path& dir, Record candidate, Graveyard& graveyard) {
    if (usable(candidate.info.status)) {
        try {
            checkConflicts(dir, candidate);
        } catch (const SkillError& conflict) {
            graveyard.push_back(std::move(candidate.skill));
            candidate.info.status = SkillStatus::Rejected;
            candidate.info.reason = conflict.what();
            if (candidate.manifest) candidate.info.commands = declaredCommands(*candidate.manifest);
            candidate.info.templates.clear();
            candidate.info.hooks.clear();
        }
    }
    const auto existing = records_.find(dir);
    const bool existed = existing != records_.end();
    if (existed) graveyard.push_back(std::move(existing->second.skill));

    SkillChange change;
    change.id = candidate.info.id;
    change.dir = dir;
    if (candidate.info.status == SkillStatus::Rejected) {
        change.kind = ChangeKind::Rejected;
        change.reason = candidate.info.reason;
        services_->log(HostServices::LogLevel::Warning, change.id,
                       "skill rejected: " + change.reason);
    } else {
        change.kind = existed ? ChangeKind::Reloaded : ChangeKind::Loaded;
        const bool instructionOnly = candidate.info.status == SkillStatus::Instructions;
        services_->log(HostServices::LogLevel::Info, change.id,
                       "skill " + std::string(toString(change.kind)) +
                           (instructionOnly ? " (instructions only)" : "") + " from " +
                           dir.string());
    }
    records_[dir] = std::move(candidate);
    return change;
}

std::vector<SkillChange> SkillRegistry::rescan() {
    std::lock_guard scanLock(scanMutex_);
    std::vector<SkillChange> changes;
    Graveyard graveyard; // declared before the locks: unloads happen after they are released

    const Snapshot disk = snapshotRoots(options_.roots); // file I/O before taking the lock
    std::set<fs::path> present;
    for (const auto& [dir, fingerprint] : disk)
        present.insert(dir);
    std::vector<std::pair<fs::path, Fingerprint>> todo;
    {
        std::unique_lock lock(mutex_);
        for (auto it = records_.begin(); it != records_.end();) {
            if (present.count(it->first) != 0) {
                ++it;
                continue;
            }
            changes.push_back(SkillChange{ChangeKind::Unloaded, it->second.info.id, it->first, {}});
            services_->log(HostServices::LogLevel::Info, it->second.info.id,
                           "skill unloaded: " + it->first.string() + " is gone");
            graveyard.push_back(std::move(it->second.skill));
            it = records_.erase(it);
        }
        for (const auto& [dir, fingerprint] : disk) {
            const auto known = records_.find(dir);
            if (known == records_.end() || known->second.fingerprint != fingerprint) {
                todo.emplace_back(dir, fingerprint);
            }
        }
    }
    graveyard.clear(); // unload the removed skills first, freeing their commands

    for (auto& [dir, fingerprint] : todo) {
        // Init runs without the lock.
        Record candidate = build(dir, std::move(fingerprint), options_.loadLibraries);
        std::unique_lock lock(mutex_);
        changes.push_back(commit(dir, std::move(candidate), graveyard));
    }
    return changes;
}

std::optional<SkillChange> SkillRegistry::reload(std::string_view id) {
    std::lock_guard scanLock(scanMutex_);
    std::optional<fs::path> dir;
    bool wasLoaded = false;
    {
        std::shared_lock lock(mutex_);
        for (const auto& [folder, record] : records_) {
            if (record.info.id != id) continue;
            if (!dir || usable(record.info.status)) dir = folder; // prefer the usable one
            wasLoaded = wasLoaded || record.skill != nullptr;
        }
    }
    if (!dir) return std::nullopt;
    // Like a changed folder in rescan(): the new copy loads beside the old one, then replaces it.
    Graveyard graveyard;
    Record candidate = build(*dir, fingerprintFolder(*dir), options_.loadLibraries || wasLoaded);
    std::unique_lock lock(mutex_);
    return commit(*dir, std::move(candidate), graveyard);
}

std::vector<SkillInfo> SkillRegistry::list() const {
    std::vector<SkillInfo> skills;
    {
        std::shared_lock lock(mutex_);
        for (const auto& [dir, record] : records_)
            skills.push_back(record.info);
    }
    std::sort(skills.begin(), skills.end(), [](const SkillInfo& a, const SkillInfo& b) {
        return std::tie(a.id, a.dir) < std::tie(b.id, b.dir);
    });
    return skills;
}

std::optional<SkillInfo> SkillRegistry::get(std::string_view id) const {
    std::optional<SkillInfo> found;
    for (auto& info : list()) {
        if (info.id != id) continue;
        if (!found || (usable(info.status) && !usable(found->status))) found = std::move(info);
    }
    return found;
}

std::vector<SkillInfo> SkillRegistry::forRole(std::string_view role) const {
    std::vector<SkillInfo> skills = list();
    std::erase_if(skills, [&](const SkillInfo& info) {
        return !usable(info.status) || !rolesInclude(info.roles, role);
    });
    return skills;
}

bool SkillRegistry::loadProviderOf(std::string_view path) {
    std::lock_guard scanLock(scanMutex_);
    std::optional<fs::path> dir;
    {
        std::shared_lock lock(mutex_);
        for (const auto& [folder, record] : records_) {
            if (record.info.status == SkillStatus::Available && record.manifest &&
                record.manifest->declaresCommand(path)) {
                dir = folder;
                break;
            }
        }
    }
    if (!dir) return false;
    Graveyard graveyard;
    Record candidate = build(*dir, fingerprintFolder(*dir), true);
    std::unique_lock lock(mutex_);
    commit(*dir, std::move(candidate), graveyard);
    return true;
}

std::optional<int> SkillRegistry::runCommand(std::string_view path,
                                             const std::vector<std::string>& args,
                                             std::ostream& out, std::ostream& err,
                                             std::string_view contextJson) {
    const auto find = [&]() -> std::pair<std::shared_ptr<LoadedSkill>, std::size_t> {
        std::shared_lock lock(mutex_);
        for (const auto& [dir, record] : records_) {
            if (!record.skill) continue;
            const auto& commands = record.skill->commands();
            for (std::size_t i = 0; i < commands.size(); ++i) {
                if (commands[i].info.path == path) return {record.skill, i};
            }
        }
        return {nullptr, 0};
    };
    auto [skill, index] = find();
    if (!skill && loadProviderOf(path)) std::tie(skill, index) = find();
    if (!skill) return std::nullopt;
    return skill->runCommand(index, args, out, err, contextJson);
}

std::vector<RenderedTemplate> SkillRegistry::renderTemplates(std::string_view role,
                                                             std::string_view contextJson) const {
    const Poco::Dynamic::Var context = parseContextJson(contextJson);
    const std::string contextText(contextJson.empty() ? "{}" : contextJson);

    struct Part {
        std::shared_ptr<LoadedSkill> skill; // null: instructions
        std::size_t index = 0;
        RenderedTemplate rendered;
    };
    std::vector<Part> parts;
    {
        std::shared_lock lock(mutex_);
        std::vector<const Record*> records;
        for (const auto& [dir, record] : records_) {
            if (usable(record.info.status) && rolesInclude(record.info.roles, role)) {
                records.push_back(&record);
            }
        }
        std::sort(records.begin(), records.end(),
                  [](const Record* a, const Record* b) { return briefOrder(&a->info, &b->info); });
        for (const Record* record : records) {
            const std::size_t before = parts.size();
            if (record->skill) {
                const auto& templates = record->skill->templates();
                for (std::size_t i = 0; i < templates.size(); ++i) {
                    if (rolesInclude(templates[i].info.roles, role)) {
                        parts.push_back(Part{
                            record->skill, i, {record->info.id, templates[i].info.id, {}, {}}});
                    }
                }
            }
            if (parts.size() == before && !record->info.instructions.empty()) {
                parts.push_back(
                    Part{nullptr, 0, {record->info.id, "skill.md", record->info.instructions, {}}});
            }
        }
    }

    std::vector<RenderedTemplate> rendered;
    for (auto& part : parts) {
        if (part.skill) {
            try {
                part.rendered.text = part.skill->renderTemplate(part.index, contextText, context);
            } catch (const SkillError& e) {
                part.rendered.error = "template \"" + part.rendered.templateId + "\" of skill \"" +
                                      part.rendered.skillId + "\" failed: " + e.what();
                services_->log(HostServices::LogLevel::Warning, part.rendered.skillId,
                               part.rendered.error);
            }
        }
        rendered.push_back(std::move(part.rendered));
    }
    return rendered;
}

std::string SkillRegistry::renderBrief(std::string_view role, std::string_view contextJson) const {
    std::string brief;
    for (const auto& part : renderTemplates(role, contextJson)) {
        if (!part.error.empty() || part.text.empty()) continue;
        if (!brief.empty()) brief += brief.ends_with('\n') ? "\n" : "\n\n";
        brief += part.text;
    }
    return brief;
}

SpawnHookOutcome SkillRegistry::runSpawnHooks(std::string_view role, SpawnPlan& plan) const {
    SpawnHookOutcome outcome;
    struct Step {
        int order;
        std::string skillId;
        std::size_t index;
        std::shared_ptr<LoadedSkill> skill;
    };
    std::vector<Step> steps;
    {
        std::shared_lock lock(mutex_);
        for (const auto& [dir, record] : records_) {
            if (!record.skill || !rolesInclude(record.info.roles, role)) continue;
            const auto& hooks = record.skill->hooks();
            for (std::size_t i = 0; i < hooks.size(); ++i) {
                if (rolesInclude(hooks[i].info.roles, role)) {
                    steps.push_back(Step{hooks[i].info.order, record.info.id, i, record.skill});
                }
            }
        }
    }
    std::sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
        return std::tie(a.order, a.skillId, a.index) < std::tie(b.order, b.skillId, b.index);
    });

    for (const auto& step : steps) {
        const std::string& hookId = step.skill->hooks()[step.index].info.id;
        try {
            applyPatch(plan, step.skill->runHook(step.index, toJson(plan)));
        } catch (const SkillError& e) {
            const bool vetoed = e.code() == MAESTRO_ERR_VETO;
            outcome.verdict =
                vetoed ? SpawnHookOutcome::Verdict::Vetoed : SpawnHookOutcome::Verdict::Failed;
            outcome.reason = vetoed ? "spawn vetoed by hook \"" + hookId + "\" of skill \"" +
                                          step.skillId + "\": " + e.what()
                                    : "spawn hook \"" + hookId + "\" of skill \"" + step.skillId +
                                          "\" failed: " + e.what();
            outcome.skillId = step.skillId;
            outcome.hookId = hookId;
            return outcome;
        }
    }
    return outcome;
}

} // namespace maestro::skillhost
