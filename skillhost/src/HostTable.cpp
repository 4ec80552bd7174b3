#include "HostTable.h"

#include "skillhost/Manifest.h"
#include "skillhost/SkillError.h"

#include <algorithm>

namespace maestro::skillhost {

namespace {

// The message of the last failing host function on this thread (maestro_host.last_error).
thread_local std::string tLastError;

std::int32_t failWith(std::int32_t code, std::string message) {
    tLastError = std::move(message);
    return code;
}

// Writes to a writer the skill implemented, honouring its struct_size.
std::int32_t writeTo(const maestro_writer* writer, std::string_view text) {
    if (writer == nullptr || writer->struct_size < sizeof(maestro_writer) ||
        writer->write == nullptr) {
        return failWith(MAESTRO_ERR_INVALID_ARGUMENT, "invalid maestro_writer");
    }
    return writer->write(writer, text.data(), text.size());
}

// Reads the role list of a descriptor.
std::optional<std::vector<std::string>> copyRoles(const char* const* roles, std::size_t count) {
    if (count == 0 || roles == nullptr) return std::nullopt;
    std::vector<std::string> copy;
    for (std::size_t i = 0; i < count; ++i) {
        if (roles[i] == nullptr || *roles[i] == '\0') return std::nullopt;
        copy.emplace_back(roles[i]);
    }
    return copy;
}

const std::string& keyOf(const CommandEntry& entry) {
    return entry.info.path;
}
const std::string& keyOf(const TemplateEntry& entry) {
    return entry.info.id;
}
const std::string& keyOf(const HookEntry& entry) {
    return entry.info.id;
}

// Refuses a second descriptor with the key of one already registered.
template <class Entries>
void checkUnique(const Entries& entries, const std::string& key, const std::string& what) {
    if (std::any_of(entries.begin(), entries.end(),
                    [&](const auto& entry) { return keyOf(entry) == key; })) {
        throw SkillError(what + " is registered twice", MAESTRO_ERR_ALREADY_EXISTS);
    }
}

} // namespace

// The C functions of the host table and of the registration interfaces.
struct HostCallbacks {
    static HostTable& self(const maestro_host* host) {
        return *static_cast<HostTable*>(host->context);
    }

    static const void* getInterface(const maestro_host* host, const char* id) noexcept {
        if (host == nullptr || id == nullptr) return nullptr;
        const std::string_view name(id);
        if (name == MAESTRO_COMMANDS_INTERFACE) return &kCommands;
        if (name == MAESTRO_TEMPLATES_INTERFACE) return &kTemplates;
        if (name == MAESTRO_SPAWN_HOOKS_INTERFACE) return &kSpawnHooks;
        return nullptr;
    }

    static void log(const maestro_host* host, std::int32_t level, const char* message) noexcept {
        try {
            const auto mapped = level <= MAESTRO_LOG_DEBUG     ? HostServices::LogLevel::Debug
                                : level == MAESTRO_LOG_INFO    ? HostServices::LogLevel::Info
                                : level == MAESTRO_LOG_WARNING ? HostServices::LogLevel::Warning
                                                               : HostServices::LogLevel::Error;
            self(host).services_->log(mapped, self(host).id_, message ? message : "");
        } catch (...) {
            // Logging must never fail the skill.
        }
    }

    static std::int32_t config(const maestro_host* host, const char* key,
                               const maestro_writer* out) noexcept {
        try {
            if (key == nullptr) return failWith(MAESTRO_ERR_INVALID_ARGUMENT, "key is NULL");
            const auto value = self(host).services_->config(key);
            if (!value) {
                return failWith(MAESTRO_ERR_NOT_FOUND,
                                std::string("no configuration value \"") + key + "\"");
            }
            return writeTo(out, *value);
        } catch (const std::exception& e) {
            return failWith(MAESTRO_ERR_FAILED, e.what());
        } catch (...) {
            return failWith(MAESTRO_ERR_FAILED, "configuration lookup failed");
        }
    }

    static std::int32_t callApi(const maestro_host* host, const char* method, const char* path,
                                const char* body, std::int32_t* httpStatus,
                                const maestro_writer* responseBody) noexcept {
        try {
            if (method == nullptr || path == nullptr || httpStatus == nullptr) {
                return failWith(MAESTRO_ERR_INVALID_ARGUMENT, "method, path and status are needed");
            }
            const auto response =
                self(host).services_->callApi(method, path, body != nullptr ? body : "");
            *httpStatus = response.status;
            return writeTo(responseBody, response.body);
        } catch (const std::exception& e) {
            return failWith(MAESTRO_ERR_UNAVAILABLE, e.what());
        } catch (...) {
            return failWith(MAESTRO_ERR_UNAVAILABLE, "the Maestro API call failed");
        }
    }

    static std::int32_t sessionContext(const maestro_host* host,
                                       const maestro_writer* out) noexcept {
        try {
            return writeTo(out, self(host).services_->sessionContext());
        } catch (const std::exception& e) {
            return failWith(MAESTRO_ERR_FAILED, e.what());
        } catch (...) {
            return failWith(MAESTRO_ERR_FAILED, "no session context");
        }
    }

    static std::int32_t renderTemplate(const maestro_host*, const char* text,
                                       const char* contextJson,
                                       const maestro_writer* out) noexcept {
        try {
            if (text == nullptr) return failWith(MAESTRO_ERR_INVALID_ARGUMENT, "text is NULL");
            return writeTo(out, skillhost::renderTemplate(text, contextJson ? contextJson : ""));
        } catch (const SkillError& e) {
            return failWith(MAESTRO_ERR_INVALID_ARGUMENT, e.what());
        } catch (const std::exception& e) {
            return failWith(MAESTRO_ERR_FAILED, e.what());
        } catch (...) {
            return failWith(MAESTRO_ERR_FAILED, "rendering failed");
        }
    }

    static const char* lastError(const maestro_host*) noexcept { return tLastError.c_str(); }

    // What every registration shares: registration must be open on this thread and the
    // descriptor big enough; `body` checks and copies the rest, throwing SkillError to refuse.
    template <class Descriptor, class Body>
    static std::int32_t registration(const maestro_host* host, const Descriptor* descriptor,
                                     const std::string& kind, Body&& body) noexcept {
        try {
            HostTable& table = self(host);
            if (!table.registering_ || std::this_thread::get_id() != table.initThread_) {
                return failWith(MAESTRO_ERR_WRONG_STATE,
                                kind + "s can only be registered during init");
            }
            try {
                if (descriptor == nullptr || descriptor->struct_size < sizeof(Descriptor)) {
                    throw SkillError(kind + " descriptor is NULL or too small for ABI 1.0",
                                     MAESTRO_ERR_INVALID_ARGUMENT);
                }
                body(table, *descriptor);
                return MAESTRO_OK;
            } catch (const SkillError& refused) {
                table.refusals_.emplace_back(refused.what());
                return failWith(refused.code(), refused.what());
            }
        } catch (...) {
            return failWith(MAESTRO_ERR_FAILED, "registering the " + kind + " failed");
        }
    }

    static std::int32_t registerCommand(const maestro_host* host,
                                        const maestro_command* command) noexcept {
        return registration(
            host, command, "command", [](HostTable& table, const maestro_command& descriptor) {
                const std::string name = descriptor.name ? descriptor.name : "";
                if (!isValidCommandPath(name) || descriptor.run == nullptr) {
                    throw SkillError("command \"" + name +
                                         "\" needs a path of lowercase words and a run callback",
                                     MAESTRO_ERR_INVALID_ARGUMENT);
                }
                checkUnique(table.commands_, name, "command \"" + name + "\"");
                CommandEntry entry{{name, descriptor.summary ? descriptor.summary : "", {}},
                                   descriptor.user_data,
                                   descriptor.run,
                                   descriptor.destroy};
                for (std::size_t i = 0; i < descriptor.option_count; ++i) {
                    const maestro_command_option* option = descriptor.options[i];
                    if (option == nullptr || option->struct_size < sizeof(maestro_command_option) ||
                        option->name == nullptr) {
                        throw SkillError("command \"" + name + "\" has an invalid option " +
                                             std::to_string(i),
                                         MAESTRO_ERR_INVALID_ARGUMENT);
                    }
                    entry.info.options.push_back({option->name,
                                                  option->value_name ? option->value_name : "",
                                                  option->summary ? option->summary : "",
                                                  (option->flags & MAESTRO_OPTION_REQUIRED) != 0});
                }
                table.commands_.push_back(std::move(entry));
            });
    }

    static std::int32_t registerTemplate(const maestro_host* host,
                                         const maestro_template* tmpl) noexcept {
        return registration(
            host, tmpl, "template", [](HostTable& table, const maestro_template& descriptor) {
                const std::string id = descriptor.id ? descriptor.id : "";
                const auto roles = copyRoles(descriptor.roles, descriptor.role_count);
                if (id.empty() || !roles ||
                    (descriptor.text == nullptr) == (descriptor.render == nullptr)) {
                    throw SkillError("template \"" + id +
                                         "\" needs an id, at least one role, and either text or a "
                                         "render callback",
                                     MAESTRO_ERR_INVALID_ARGUMENT);
                }
                checkUnique(table.templates_, id, "template \"" + id + "\"");
                TemplateEntry entry{{id, *roles, descriptor.render != nullptr},
                                    std::nullopt,
                                    descriptor.user_data,
                                    descriptor.render,
                                    descriptor.destroy};
                if (descriptor.text != nullptr) {
                    try {
                        entry.text = Template::parse(descriptor.text);
                    } catch (const SkillError& e) {
                        throw SkillError("template \"" + id + "\": " + e.what(),
                                         MAESTRO_ERR_INVALID_ARGUMENT);
                    }
                }
                table.templates_.push_back(std::move(entry));
            });
    }

    static std::int32_t registerSpawnHook(const maestro_host* host,
                                          const maestro_spawn_hook* hook) noexcept {
        return registration(
            host, hook, "spawn hook", [](HostTable& table, const maestro_spawn_hook& descriptor) {
                const std::string id = descriptor.id ? descriptor.id : "";
                const auto roles = copyRoles(descriptor.roles, descriptor.role_count);
                if (id.empty() || !roles || descriptor.run == nullptr) {
                    throw SkillError("spawn hook \"" + id +
                                         "\" needs an id, at least one role and a run callback",
                                     MAESTRO_ERR_INVALID_ARGUMENT);
                }
                checkUnique(table.hooks_, id, "spawn hook \"" + id + "\"");
                table.hooks_.push_back(HookEntry{{id, *roles, descriptor.order},
                                                 descriptor.user_data,
                                                 descriptor.run,
                                                 descriptor.destroy});
            });
    }

    static constexpr maestro_commands_interface kCommands{sizeof(maestro_commands_interface),
                                                          &HostCallbacks::registerCommand};
    static constexpr maestro_templates_interface kTemplates{sizeof(maestro_templates_interface),
                                                            &HostCallbacks::registerTemplate};
    static constexpr maestro_spawn_hooks_interface kSpawnHooks{
        sizeof(maestro_spawn_hooks_interface), &HostCallbacks::registerSpawnHook};
};

HostTable::HostTable(std::string skillId, std::string skillDir,
                     std::shared_ptr<HostServices> services)
    : id_(std::move(skillId)), dir_(std::move(skillDir)), services_(std::move(services)) {
    table_.struct_size = sizeof(maestro_host);
    table_.abi = {MAESTRO_ABI_MAJOR, MAESTRO_ABI_MINOR};
    table_.context = this;
    table_.skill_id = id_.c_str();
    table_.skill_dir = dir_.c_str();
    table_.get_interface = &HostCallbacks::getInterface;
    table_.log = &HostCallbacks::log;
    table_.config = &HostCallbacks::config;
    table_.call_api = &HostCallbacks::callApi;
    table_.session_context = &HostCallbacks::sessionContext;
    table_.render_template = &HostCallbacks::renderTemplate;
    table_.last_error = &HostCallbacks::lastError;
}

HostTable::~HostTable() {
    destroyRegistrations();
}

HostTable::Registration::Registration(HostTable& table) : table_(table) {
    table_.initThread_ = std::this_thread::get_id();
    table_.registering_ = true;
}

HostTable::Registration::~Registration() {
    table_.registering_ = false;
}

void HostTable::checkRegistrations() const {
    if (!refusals_.empty()) throw SkillError(refusals_.front());
}

void HostTable::destroyRegistrations() noexcept {
    const auto destroyAll = [](auto& entries) {
        for (auto& entry : entries) {
            if (entry.destroy == nullptr) continue;
            try {
                entry.destroy(entry.userData);
            } catch (...) {
                // Nothing to report to: the skill is going away.
            }
        }
        entries.clear();
    };
    destroyAll(commands_);
    destroyAll(templates_);
    destroyAll(hooks_);
}

} // namespace maestro::skillhost
