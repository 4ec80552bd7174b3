#include "LoadedSkill.h"

#include "HostObjects.h"
#include "skillhost/SkillError.h"

#include <cstddef>
#include <ostream>
#include <set>

namespace maestro::skillhost {

namespace {

// Calls into a skill with a writer collecting its text and an error slot. Returns the text;
// a failure status, or whatever escapes the call, becomes SkillError.
template <class Call> std::string guardedCall(Call&& call) {
    std::string text;
    ErrorSlot error;
    const HostWriter writer([&](std::string_view chunk) { text.append(chunk); });
    std::int32_t code = MAESTRO_OK;
    try {
        code = call(writer.abi(), error.abi());
    } catch (const std::exception& e) {
        throw SkillError(std::string("threw an exception: ") + e.what(), MAESTRO_ERR_EXCEPTION);
    } catch (...) {
        throw SkillError("threw an exception of unknown type", MAESTRO_ERR_EXCEPTION);
    }
    if (code != MAESTRO_OK) throw SkillError(error.reason(code), code);
    return text;
}

} // namespace

std::shared_ptr<LoadedSkill> LoadedSkill::load(const Manifest& manifest, const PrivateCopy& copy,
                                               std::shared_ptr<HostServices> services) {
    std::shared_ptr<LoadedSkill> skill(new LoadedSkill(manifest, copy, std::move(services)));
    skill->initialise(manifest); // on SkillError the destructor undoes whatever init did
    return skill;
}

LoadedSkill::LoadedSkill(const Manifest& manifest, const PrivateCopy& copy,
                         std::shared_ptr<HostServices> services)
    : library_(manifest, copy), id_(manifest.id),
      table_(manifest.id, manifest.dir.string(), std::move(services)) {}

// ABI negotiation, identity check, init, and the check of what init registered against
// manifest.json.
void LoadedSkill::initialise(const Manifest& manifest) {
    const maestro_entry& entry = library_.entry();
    constexpr std::size_t kAbiEnd = offsetof(maestro_entry, abi) + sizeof(maestro_abi_version);
    if (entry.struct_size < kAbiEnd) {
        throw SkillError("entry table is too small to hold an ABI version (struct_size " +
                         std::to_string(entry.struct_size) + ")");
    }
    const AbiVersion built{entry.abi.major, entry.abi.minor};
    const AbiVersion host = hostAbi();
    if (built.major != host.major) {
        throw SkillError("built for skill ABI " + toString(built) + ", but this host implements " +
                         toString(host) + ": major versions must match");
    }
    if (built.minor > host.minor) {
        throw SkillError("built for skill ABI " + toString(built) + ", newer than this host's " +
                         toString(host) + ": update Maestro or rebuild the skill against ABI " +
                         toString(host));
    }
    if (entry.struct_size < sizeof(maestro_entry)) {
        throw SkillError("entry table is too small for ABI 1.0 (struct_size " +
                         std::to_string(entry.struct_size) + ", need " +
                         std::to_string(sizeof(maestro_entry)) + ")");
    }
    const std::string declaredId = entry.id != nullptr ? entry.id : "";
    if (declaredId != manifest.id) {
        throw SkillError("library declares id \"" + declaredId + "\" but manifest.json says \"" +
                         manifest.id + "\"");
    }
    if (entry.init == nullptr) throw SkillError("entry table has no init function");

    ErrorSlot error;
    std::int32_t rc = MAESTRO_ERR_FAILED;
    std::string thrown;
    {
        const HostTable::Registration open(table_);
        try {
            rc = entry.init(table_.abi(), error.abi());
        } catch (const std::exception& e) {
            thrown = std::string("init threw an exception: ") + e.what();
        } catch (...) {
            thrown = "init threw an exception of unknown type";
        }
    }
    initialised_ = thrown.empty() && rc == MAESTRO_OK;

    // A refused registration is the root cause even when init then failed because of it.
    table_.checkRegistrations();
    if (!thrown.empty()) throw SkillError(thrown);
    if (rc != MAESTRO_OK) throw SkillError("init failed: " + error.reason(rc));

    std::set<std::string> registered;
    for (const auto& command : table_.commands()) {
        registered.insert(command.info.path);
        if (!manifest.declaresCommand(command.info.path)) {
            throw SkillError("the library registered command \"" + command.info.path +
                             "\", which manifest.json does not declare");
        }
    }
    for (const auto& command : manifest.commands) {
        if (registered.count(command.name) == 0) {
            throw SkillError("manifest.json declares command \"" + command.name +
                             "\", which the library did not register");
        }
    }
}

LoadedSkill::~LoadedSkill() {
    const maestro_entry& entry = library_.entry();
    if (initialised_ && entry.deinit != nullptr) {
        try {
            entry.deinit();
        } catch (...) {
            // Nothing to report to: the skill is going away.
        }
    }
    table_.destroyRegistrations();
    // library_ goes last, as the last member destroyed: unload, then the private copy.
}

int LoadedSkill::runCommand(std::size_t index, const std::vector<std::string>& args,
                            std::ostream& out, std::ostream& err,
                            std::string_view contextJson) const {
    const CommandEntry& command = commands().at(index);
    std::vector<const char*> argv;
    for (const auto& arg : args)
        argv.push_back(arg.c_str());
    argv.push_back(nullptr);
    const HostWriter outWriter([&](std::string_view text) {
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    });
    const HostWriter errWriter([&](std::string_view text) {
        err.write(text.data(), static_cast<std::streamsize>(text.size()));
    });
    const std::string context(contextJson.empty() ? "{}" : contextJson);
    try {
        const std::int32_t rc =
            command.run(command.userData, static_cast<std::int32_t>(args.size()), argv.data(),
                        outWriter.abi(), errWriter.abi(), context.c_str());
        return rc >= 0 && rc <= 255 ? static_cast<int>(rc) : MAESTRO_EXIT_INTERNAL;
    } catch (const std::exception& e) {
        err << "error: command \"" << command.info.path << "\" of skill \"" << id_
            << "\" threw an exception: " << e.what() << "\n";
    } catch (...) {
        err << "error: command \"" << command.info.path << "\" of skill \"" << id_
            << "\" threw an exception of unknown type\n";
    }
    return MAESTRO_EXIT_INTERNAL;
}

std::string LoadedSkill::renderTemplate(std::size_t index, const std::string& contextJson,
                                        const Poco::Dynamic::Var& context) const {
    const TemplateEntry& tmpl = templates().at(index);
    return guardedCall([&](const maestro_writer* out, maestro_error* error) {
        if (!tmpl.text) return tmpl.render(tmpl.userData, contextJson.c_str(), out, error);
        const std::string text = tmpl.text->render(context);
        return out->write(out, text.data(), text.size());
    });
}

std::string LoadedSkill::runHook(std::size_t index, const std::string& planJson) const {
    const HookEntry& hook = hooks().at(index);
    return guardedCall([&](const maestro_writer* patch, maestro_error* error) {
        return hook.run(hook.userData, planJson.c_str(), patch, error);
    });
}

} // namespace maestro::skillhost
