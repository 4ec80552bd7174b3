// maestro/skill.hpp — header-only C++20 helper over maestro/skill_abi.h.
//
// It turns a plain C++ class into the C tables of the ABI:
//
//     class MySkill {
//     public:
//         MySkill(const maestro::skill::Host& host, maestro::skill::Registrar& registrar) {
//             registrar.command("hello", "Say hello", {}, [](const maestro::skill::CommandCall&
//             call) {
//                 call.out.write("hello\n");
//                 return 0;
//             });
//         }
//     };
//     MAESTRO_SKILL(MySkill, "my-skill", "1.0.0")
//
// The constructor runs inside init and the destructor inside deinit. Every callback that C calls
// is a noexcept trampoline that catches everything, so no exception ever crosses the boundary:
// an exception from the constructor becomes an init error, from a command exit code 70 and a
// message on stderr, from a template or hook an error the host reports.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <maestro/skill_abi.h>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maestro::skill {

enum class LogLevel : std::int32_t {
    Debug = MAESTRO_LOG_DEBUG,
    Info = MAESTRO_LOG_INFO,
    Warning = MAESTRO_LOG_WARNING,
    Error = MAESTRO_LOG_ERROR,
};

// Thrown by the helpers when the host refuses something; an author may throw it to choose the
// code an init, template or hook failure is reported with.
class Error : public std::runtime_error {
public:
    Error(std::int32_t code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    std::int32_t code() const noexcept { return code_; }

private:
    std::int32_t code_;
};

// Exit codes a command returns: those of the maestro CLI (MAESTRO_EXIT_* in skill_abi.h).
inline constexpr int kExitOk = MAESTRO_EXIT_OK;
inline constexpr int kExitUsage = MAESTRO_EXIT_USAGE;
inline constexpr int kExitRefused = MAESTRO_EXIT_REFUSED;
inline constexpr int kExitUnavailable = MAESTRO_EXIT_UNAVAILABLE;
inline constexpr int kExitInternal = MAESTRO_EXIT_INTERNAL;

// A host-provided writer (stdout, stderr, template output, hook patch).
class Writer {
public:
    explicit Writer(const maestro_writer* writer) noexcept : writer_(writer) {}

    // Returns false when the host reported a failure (e.g. the reader went away).
    bool write(std::string_view text) const noexcept {
        if (writer_ == nullptr || writer_->write == nullptr) return false;
        return writer_->write(writer_, text.data(), text.size()) == MAESTRO_OK;
    }
    const Writer& operator<<(std::string_view text) const noexcept {
        write(text);
        return *this;
    }

private:
    const maestro_writer* writer_;
};

namespace detail {

// A writer implemented on this side, collecting what the host writes into a std::string.
class StringSink {
public:
    StringSink() noexcept {
        writer_.struct_size = sizeof(maestro_writer);
        writer_.context = this;
        writer_.write = &StringSink::append;
    }
    StringSink(const StringSink&) = delete;
    StringSink& operator=(const StringSink&) = delete;

    const maestro_writer* writer() const noexcept { return &writer_; }
    std::string take() noexcept { return std::move(text_); }

private:
    static std::int32_t append(const maestro_writer* writer, const char* data,
                               std::size_t size) noexcept {
        try {
            static_cast<StringSink*>(writer->context)->text_.append(data, size);
            return MAESTRO_OK;
        } catch (...) {
            return MAESTRO_ERR_FAILED;
        }
    }

    maestro_writer writer_{};
    std::string text_;
};

inline void setError(maestro_error* error, std::int32_t code, const char* message) noexcept {
    if (error != nullptr && error->set != nullptr) error->set(error, code, message);
}

// Runs `body`, converting any exception into an error code plus message; the one place where
// exceptions stop on the skill side.
template <class Body> std::int32_t guarded(maestro_error* error, Body&& body) noexcept {
    try {
        return body();
    } catch (const Error& e) {
        setError(error, e.code(), e.what());
        return e.code();
    } catch (const std::exception& e) {
        setError(error, MAESTRO_ERR_EXCEPTION, e.what());
        return MAESTRO_ERR_EXCEPTION;
    } catch (...) {
        setError(error, MAESTRO_ERR_EXCEPTION, "unknown exception");
        return MAESTRO_ERR_EXCEPTION;
    }
}

inline std::vector<const char*> cStrings(const std::vector<std::string>& strings) {
    std::vector<const char*> pointers;
    pointers.reserve(strings.size());
    for (const auto& s : strings)
        pointers.push_back(s.c_str());
    return pointers;
}

} // namespace detail

struct ApiResponse {
    int status = 0;
    std::string body;
    bool ok() const noexcept { return status >= 200 && status < 300; }
};

// The host's services. Copyable handle; valid from the skill's constructor to its destructor.
class Host {
public:
    explicit Host(const maestro_host* host) noexcept : host_(host) {}

    const maestro_host* raw() const noexcept { return host_; }
    std::string_view skillId() const noexcept { return host_->skill_id; }
    std::string_view skillDir() const noexcept { return host_->skill_dir; }

    void log(LogLevel level, const std::string& message) const noexcept {
        host_->log(host_, static_cast<std::int32_t>(level), message.c_str());
    }

    std::optional<std::string> config(const std::string& key) const {
        detail::StringSink sink;
        if (host_->config(host_, key.c_str(), sink.writer()) != MAESTRO_OK) return std::nullopt;
        return sink.take();
    }

    // Throws Error when the request could not be made (server unreachable …); an HTTP error
    // status is a normal response.
    ApiResponse callApi(const std::string& method, const std::string& path,
                        const std::string& body = {}) const {
        detail::StringSink sink;
        std::int32_t status = 0;
        const std::int32_t rc =
            host_->call_api(host_, method.c_str(), path.c_str(),
                            body.empty() ? nullptr : body.c_str(), &status, sink.writer());
        if (rc != MAESTRO_OK) throw Error(rc, host_->last_error(host_));
        return ApiResponse{status, sink.take()};
    }

    std::string sessionContext() const {
        detail::StringSink sink;
        const std::int32_t rc = host_->session_context(host_, sink.writer());
        if (rc != MAESTRO_OK) throw Error(rc, host_->last_error(host_));
        return sink.take();
    }

    // Renders text in the host's template syntax; throws Error on a template or JSON error.
    std::string render(const std::string& text, const std::string& contextJson) const {
        detail::StringSink sink;
        const std::int32_t rc =
            host_->render_template(host_, text.c_str(), contextJson.c_str(), sink.writer());
        if (rc != MAESTRO_OK) throw Error(rc, host_->last_error(host_));
        return sink.take();
    }

private:
    const maestro_host* host_;
};

struct CommandOption {
    std::string name;      // "--reason" or "TASK"
    std::string valueName; // empty for a flag
    std::string summary;
    bool required = false;
};

struct CommandCall {
    std::vector<std::string_view> args; // after the command path
    Writer out;
    Writer err;
    std::string_view contextJson;
};

// What a spawn hook decides.
class HookResult {
public:
    static HookResult keep() { return HookResult(Kind::Keep, {}); }
    static HookResult patch(std::string patchJson) {
        return HookResult(Kind::Patch, std::move(patchJson));
    }
    static HookResult veto(std::string reason) { return HookResult(Kind::Veto, std::move(reason)); }

    bool isVeto() const noexcept { return kind_ == Kind::Veto; }
    const std::string& text() const noexcept { return text_; }

private:
    enum class Kind { Keep, Patch, Veto };
    HookResult(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}
    Kind kind_;
    std::string text_;
};

using CommandFn = std::function<int(const CommandCall&)>;
using RenderFn = std::function<std::string(std::string_view contextJson)>;
using HookFn = std::function<HookResult(std::string_view planJson)>;

// Registers commands, templates and hooks; only usable inside the skill's constructor. Each
// method throws Error when the host refuses (the constructor then fails init with that reason).
class Registrar {
public:
    explicit Registrar(const maestro_host* host) : host_(host) {}

    void command(const std::string& name, const std::string& summary,
                 const std::vector<CommandOption>& options, CommandFn run) {
        const auto* api = interface<maestro_commands_interface>(MAESTRO_COMMANDS_INTERFACE);
        std::vector<maestro_command_option> storage(options.size());
        std::vector<const maestro_command_option*> pointers;
        for (std::size_t i = 0; i < options.size(); ++i) {
            storage[i] = maestro_command_option{
                sizeof(maestro_command_option), options[i].name.c_str(),
                options[i].valueName.empty() ? nullptr : options[i].valueName.c_str(),
                options[i].summary.c_str(), options[i].required ? MAESTRO_OPTION_REQUIRED : 0u};
            pointers.push_back(&storage[i]);
        }
        auto box = std::make_unique<CommandFn>(std::move(run));
        maestro_command descriptor{sizeof(maestro_command), name.c_str(),
                                   summary.c_str(),         pointers.data(),
                                   pointers.size(),         box.get(),
                                   &Registrar::runCommand,  &Registrar::destroy<CommandFn>};
        check(api->register_command(host_, &descriptor));
        static_cast<void>(box.release()); // the host owns it now and calls destroy after deinit
    }

    void textTemplate(const std::string& id, const std::vector<std::string>& roles,
                      const std::string& text) {
        const auto roleNames = detail::cStrings(roles);
        maestro_template descriptor{sizeof(maestro_template),
                                    id.c_str(),
                                    roleNames.data(),
                                    roleNames.size(),
                                    text.c_str(),
                                    nullptr,
                                    nullptr,
                                    nullptr};
        const auto* api = interface<maestro_templates_interface>(MAESTRO_TEMPLATES_INTERFACE);
        check(api->register_template(host_, &descriptor));
    }

    void renderTemplate(const std::string& id, const std::vector<std::string>& roles,
                        RenderFn render) {
        const auto roleNames = detail::cStrings(roles);
        auto box = std::make_unique<RenderFn>(std::move(render));
        maestro_template descriptor{sizeof(maestro_template),
                                    id.c_str(),
                                    roleNames.data(),
                                    roleNames.size(),
                                    nullptr,
                                    box.get(),
                                    &Registrar::renderText,
                                    &Registrar::destroy<RenderFn>};
        const auto* api = interface<maestro_templates_interface>(MAESTRO_TEMPLATES_INTERFACE);
        check(api->register_template(host_, &descriptor));
        static_cast<void>(box.release()); // as above
    }

    void spawnHook(const std::string& id, const std::vector<std::string>& roles, int order,
                   HookFn run) {
        const auto roleNames = detail::cStrings(roles);
        auto box = std::make_unique<HookFn>(std::move(run));
        maestro_spawn_hook descriptor{sizeof(maestro_spawn_hook),
                                      id.c_str(),
                                      roleNames.data(),
                                      roleNames.size(),
                                      static_cast<std::int32_t>(order),
                                      box.get(),
                                      &Registrar::runHook,
                                      &Registrar::destroy<HookFn>};
        const auto* api = interface<maestro_spawn_hooks_interface>(MAESTRO_SPAWN_HOOKS_INTERFACE);
        check(api->register_spawn_hook(host_, &descriptor));
        static_cast<void>(box.release()); // as above
    }

private:
    template <class Table> const Table* interface(const char* id) const {
        const auto* table = static_cast<const Table*>(host_->get_interface(host_, id));
        if (table == nullptr) {
            throw Error(MAESTRO_ERR_UNSUPPORTED, std::string("host lacks interface ") + id);
        }
        return table;
    }

    void check(std::int32_t rc) const {
        if (rc != MAESTRO_OK) throw Error(rc, host_->last_error(host_));
    }

    template <class Fn> static void destroy(void* userData) noexcept {
        delete static_cast<Fn*>(userData);
    }

    static std::int32_t runCommand(void* userData, std::int32_t argc, const char* const* argv,
                                   const maestro_writer* out, const maestro_writer* err,
                                   const char* contextJson) noexcept {
        const Writer errWriter(err);
        try {
            CommandCall call{{}, Writer(out), errWriter, contextJson ? contextJson : "{}"};
            for (std::int32_t i = 0; i < argc; ++i)
                call.args.emplace_back(argv[i]);
            return (*static_cast<CommandFn*>(userData))(call);
        } catch (const std::exception& e) {
            errWriter << "error: " << e.what() << "\n";
        } catch (...) {
            errWriter << "error: unknown exception\n";
        }
        return kExitInternal;
    }

    static std::int32_t renderText(void* userData, const char* contextJson,
                                   const maestro_writer* out, maestro_error* error) noexcept {
        return detail::guarded(error, [&] {
            const std::string text = (*static_cast<RenderFn*>(userData))(contextJson);
            return Writer(out).write(text) ? MAESTRO_OK : MAESTRO_ERR_FAILED;
        });
    }

    static std::int32_t runHook(void* userData, const char* planJson, const maestro_writer* patch,
                                maestro_error* error) noexcept {
        return detail::guarded(error, [&] {
            const HookResult result = (*static_cast<HookFn*>(userData))(planJson);
            if (result.isVeto()) {
                detail::setError(error, MAESTRO_ERR_VETO, result.text().c_str());
                return MAESTRO_ERR_VETO;
            }
            if (!result.text().empty() && !Writer(patch).write(result.text())) {
                return MAESTRO_ERR_FAILED;
            }
            return MAESTRO_OK;
        });
    }

    const maestro_host* host_;
};

namespace detail {

// The one instance of a skill class per loaded library (each library has its own copy of
// this variable: skills are built with hidden visibility and -fno-gnu-unique).
template <class Skill> inline Skill* instance = nullptr;

template <class Skill> std::int32_t init(const maestro_host* host, maestro_error* error) noexcept {
    return guarded(error, [&] {
        if (host == nullptr || host->struct_size < sizeof(maestro_host)) {
            throw Error(MAESTRO_ERR_INVALID_ARGUMENT, "host table too small for this skill");
        }
        Registrar registrar(host);
        instance<Skill> = new Skill(Host(host), registrar);
        return MAESTRO_OK;
    });
}

template <class Skill> void deinit() noexcept {
    try {
        delete instance<Skill>;
    } catch (...) {
        // A destructor that throws cannot be reported any more; the library is unloaded anyway.
    }
    instance<Skill> = nullptr;
}

inline const void* noInterfaces(const char*) noexcept {
    return nullptr;
}

} // namespace detail

// The entry table for Skill; constant-initialised so the exported symbol is plain data.
template <class Skill> constexpr maestro_entry makeEntry(const char* id, const char* version) {
    return maestro_entry{sizeof(maestro_entry),
                         {MAESTRO_ABI_MAJOR, MAESTRO_ABI_MINOR},
                         id,
                         version,
                         &detail::init<Skill>,
                         &detail::deinit<Skill>,
                         &detail::noInterfaces};
}

} // namespace maestro::skill

// Defines the exported `maestro_skill_entry` for SkillClass. Use once per library, at namespace
// scope. `id` must equal the id in manifest.json.
#define MAESTRO_SKILL(SkillClass, id, version)                                                     \
    extern "C" MAESTRO_SKILL_EXPORT const maestro_entry maestro_skill_entry =                      \
        ::maestro::skill::makeEntry<SkillClass>(id, version);
