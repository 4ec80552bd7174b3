#include "LoadedSkill.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <dlfcn.h>
#include <fcntl.h>
#include <functional>
#include <ostream>
#include <set>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace maestro::skillhost {

namespace fs = std::filesystem;

namespace {

// The message of the last failing host function on this thread (maestro_host.last_error).
thread_local std::string tLastError;

std::int32_t failWith(std::int32_t code, std::string message) {
    tLastError = std::move(message);
    return code;
}

// A maestro_writer implemented by the host, forwarding to a callable.
class HostWriter {
public:
    explicit HostWriter(std::function<void(std::string_view)> sink) : sink_(std::move(sink)) {
        abi_.struct_size = sizeof(maestro_writer);
        abi_.context = this;
        abi_.write = &HostWriter::write;
    }
    HostWriter(const HostWriter&) = delete;
    HostWriter& operator=(const HostWriter&) = delete;
    const maestro_writer* abi() const noexcept { return &abi_; }

private:
    static std::int32_t write(const maestro_writer* writer, const char* data,
                              std::size_t size) noexcept {
        if (writer == nullptr || (data == nullptr && size != 0)) {
            return MAESTRO_ERR_INVALID_ARGUMENT;
        }
        try {
            static_cast<HostWriter*>(writer->context)->sink_(std::string_view(data, size));
            return MAESTRO_OK;
        } catch (...) {
            return MAESTRO_ERR_FAILED;
        }
    }

    maestro_writer abi_{};
    std::function<void(std::string_view)> sink_;
};

// A maestro_error the host hands to a skill callback.
class ErrorSlot {
public:
    ErrorSlot() {
        abi_.struct_size = sizeof(maestro_error);
        abi_.context = this;
        abi_.set = &ErrorSlot::set;
    }
    ErrorSlot(const ErrorSlot&) = delete;
    ErrorSlot& operator=(const ErrorSlot&) = delete;
    maestro_error* abi() noexcept { return &abi_; }
    const std::string& message() const noexcept { return message_; }

private:
    static void set(maestro_error* error, std::int32_t code, const char* message) noexcept {
        if (error == nullptr) return;
        auto* self = static_cast<ErrorSlot*>(error->context);
        try {
            self->code_ = code;
            self->message_ = message != nullptr ? message : "";
        } catch (...) {
            // Out of memory while copying a message: the code still says it failed.
        }
    }

    maestro_error abi_{};
    std::int32_t code_ = MAESTRO_OK;
    std::string message_;
};

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

std::string describe(std::int32_t code, const std::string& message) {
    if (!message.empty()) return message;
    return "error code " + std::to_string(code);
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    if (from.empty()) return text;
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// Copies the open library `from` into `to`: in the kernel where it can (sendfile), else through
// a buffer.
void copyLibrary(int from, int to) {
    bool inKernel = true;
    for (;;) {
        ssize_t got = 0;
        if (inKernel) {
            got = ::sendfile(to, from, nullptr, 1 << 30);
            if (got < 0 && (errno == EINVAL || errno == ENOSYS)) {
                inKernel = false; // nothing was copied; fall back to read/write
                continue;
            }
            if (got < 0 && errno != EINTR) {
                throw std::system_error(errno, std::generic_category(), "sendfile");
            }
        } else {
            std::array<char, 1 << 16> buffer{};
            got = ::read(from, buffer.data(), buffer.size());
            if (got < 0 && errno != EINTR) {
                throw std::system_error(errno, std::generic_category(), "read");
            }
            for (ssize_t done = 0; got > 0 && done < got;) {
                const ssize_t put =
                    ::write(to, buffer.data() + done, static_cast<size_t>(got - done));
                if (put < 0 && errno != EINTR) {
                    throw std::system_error(errno, std::generic_category(), "write");
                }
                if (put > 0) done += put;
            }
        }
        if (got == 0) break;
    }
}

// Names the version of a file by its identity (device, inode, size, mtime): FNV-1a.
std::uint64_t identityHash(const struct stat& info) {
    const std::uint64_t parts[] = {
        static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
        static_cast<std::uint64_t>(info.st_size), static_cast<std::uint64_t>(info.st_mtim.tv_sec),
        static_cast<std::uint64_t>(info.st_mtim.tv_nsec)};
    std::uint64_t hash = 14695981039346656037ull;
    for (const std::uint64_t part : parts) {
        for (int shift = 0; shift < 64; shift += 8) {
            hash = (hash ^ ((part >> shift) & 0xffu)) * 1099511628211ull;
        }
    }
    return hash;
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

// Calls into a skill with a writer collecting its text and an error slot; whatever escapes the
// call becomes MAESTRO_ERR_EXCEPTION with a message.
template <class Call> CallResult guardedCall(Call&& call) {
    CallResult result;
    try {
        ErrorSlot error;
        const HostWriter writer([&](std::string_view text) { result.text.append(text); });
        result.code = call(writer.abi(), error.abi());
        if (!result.ok()) result.message = describe(result.code, error.message());
    } catch (const std::exception& e) {
        result.code = MAESTRO_ERR_EXCEPTION;
        result.message = std::string("threw an exception: ") + e.what();
    } catch (...) {
        result.code = MAESTRO_ERR_EXCEPTION;
        result.message = "threw an exception of unknown type";
    }
    return result;
}

// Every load gets its own file name, so dlopen never hands back a still-mapped older copy.
std::atomic<std::uint64_t> gLoadSequence{0};

} // namespace

// The C functions of the host table and of the registration interfaces.
struct AbiCallbacks {
    static LoadedSkill& self(const maestro_host* host) {
        return *static_cast<LoadedSkill*>(host->context);
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
        } catch (const std::exception& e) {
            return failWith(MAESTRO_ERR_INVALID_ARGUMENT, e.what());
        } catch (...) {
            return failWith(MAESTRO_ERR_FAILED, "rendering failed");
        }
    }

    static const char* lastError(const maestro_host*) noexcept { return tLastError.c_str(); }

    // Registration faults are recorded on the skill as well as returned: a skill that ignores
    // the error is still rejected with the reason.
    static std::int32_t refuse(LoadedSkill& skill, std::int32_t code, std::string reason) {
        if (code != MAESTRO_ERR_WRONG_STATE) skill.fault(reason);
        return failWith(code, std::move(reason));
    }

    static bool registrationOpen(const LoadedSkill& skill) {
        return skill.registering_ && std::this_thread::get_id() == skill.initThread_;
    }

    // The checks every registration shares, and the guard around it.
    template <class Descriptor, class Body>
    static std::int32_t registration(const maestro_host* host, const Descriptor* descriptor,
                                     const std::string& kind, Body&& body) noexcept {
        try {
            auto& skill = self(host);
            if (!registrationOpen(skill)) {
                return refuse(skill, MAESTRO_ERR_WRONG_STATE,
                              kind + "s can only be registered during init");
            }
            if (descriptor == nullptr || descriptor->struct_size < sizeof(Descriptor)) {
                return refuse(skill, MAESTRO_ERR_INVALID_ARGUMENT,
                              kind + " descriptor is NULL or too small for ABI 1.0");
            }
            return body(skill, *descriptor);
        } catch (...) {
            return failWith(MAESTRO_ERR_FAILED, "registering the " + kind + " failed");
        }
    }

    static const std::string& keyOf(const CommandEntry& entry) { return entry.info.path; }
    static const std::string& keyOf(const TemplateEntry& entry) { return entry.info.id; }
    static const std::string& keyOf(const HookEntry& entry) { return entry.info.id; }

    template <class Entries> static bool taken(const Entries& entries, const std::string& key) {
        return std::any_of(entries.begin(), entries.end(),
                           [&](const auto& entry) { return keyOf(entry) == key; });
    }

    static std::int32_t registerCommand(const maestro_host* host,
                                        const maestro_command* command) noexcept {
        return registration(
            host, command, "command", [](LoadedSkill& skill, const maestro_command& descriptor) {
                const std::string name = descriptor.name ? descriptor.name : "";
                if (!isValidCommandPath(name) || descriptor.run == nullptr) {
                    return refuse(skill, MAESTRO_ERR_INVALID_ARGUMENT,
                                  "command \"" + name +
                                      "\" needs a path of lowercase words and a run callback");
                }
                if (taken(skill.commands_, name)) {
                    return refuse(skill, MAESTRO_ERR_ALREADY_EXISTS,
                                  "command \"" + name + "\" is registered twice");
                }
                CommandEntry entry{{name, descriptor.summary ? descriptor.summary : "", {}},
                                   descriptor.user_data,
                                   descriptor.run,
                                   descriptor.destroy};
                for (std::size_t i = 0; i < descriptor.option_count; ++i) {
                    const maestro_command_option* option = descriptor.options[i];
                    if (option == nullptr || option->struct_size < sizeof(maestro_command_option) ||
                        option->name == nullptr) {
                        return refuse(skill, MAESTRO_ERR_INVALID_ARGUMENT,
                                      "command \"" + name + "\" has an invalid option " +
                                          std::to_string(i));
                    }
                    entry.info.options.push_back({option->name,
                                                  option->value_name ? option->value_name : "",
                                                  option->summary ? option->summary : "",
                                                  (option->flags & MAESTRO_OPTION_REQUIRED) != 0});
                }
                skill.commands_.push_back(std::move(entry));
                return MAESTRO_OK;
            });
    }

    static std::int32_t registerTemplate(const maestro_host* host,
                                         const maestro_template* tmpl) noexcept {
        return registration(
            host, tmpl, "template", [](LoadedSkill& skill, const maestro_template& descriptor) {
                const std::string id = descriptor.id ? descriptor.id : "";
                const auto roles = copyRoles(descriptor.roles, descriptor.role_count);
                if (id.empty() || !roles ||
                    (descriptor.text == nullptr) == (descriptor.render == nullptr)) {
                    return refuse(skill, MAESTRO_ERR_INVALID_ARGUMENT,
                                  "template \"" + id +
                                      "\" needs an id, at least one role, and either text or a "
                                      "render callback");
                }
                if (taken(skill.templates_, id)) {
                    return refuse(skill, MAESTRO_ERR_ALREADY_EXISTS,
                                  "template \"" + id + "\" is registered twice");
                }
                TemplateEntry entry{{id, *roles, descriptor.render != nullptr},
                                    std::nullopt,
                                    descriptor.user_data,
                                    descriptor.render,
                                    descriptor.destroy};
                if (descriptor.text != nullptr) {
                    try {
                        entry.text = Template::parse(descriptor.text);
                    } catch (const TemplateError& e) {
                        return refuse(skill, MAESTRO_ERR_INVALID_ARGUMENT,
                                      "template \"" + id + "\": " + e.what());
                    }
                }
                skill.templates_.push_back(std::move(entry));
                return MAESTRO_OK;
            });
    }

    static std::int32_t registerSpawnHook(const maestro_host* host,
                                          const maestro_spawn_hook* hook) noexcept {
        return registration(
            host, hook, "spawn hook", [](LoadedSkill& skill, const maestro_spawn_hook& descriptor) {
                const std::string id = descriptor.id ? descriptor.id : "";
                const auto roles = copyRoles(descriptor.roles, descriptor.role_count);
                if (id.empty() || !roles || descriptor.run == nullptr) {
                    return refuse(skill, MAESTRO_ERR_INVALID_ARGUMENT,
                                  "spawn hook \"" + id +
                                      "\" needs an id, at least one role and a run callback");
                }
                if (taken(skill.hooks_, id)) {
                    return refuse(skill, MAESTRO_ERR_ALREADY_EXISTS,
                                  "spawn hook \"" + id + "\" is registered twice");
                }
                skill.hooks_.push_back(HookEntry{{id, *roles, descriptor.order},
                                                 descriptor.user_data,
                                                 descriptor.run,
                                                 descriptor.destroy});
                return MAESTRO_OK;
            });
    }

    static constexpr maestro_commands_interface kCommands{sizeof(maestro_commands_interface),
                                                          &AbiCallbacks::registerCommand};
    static constexpr maestro_templates_interface kTemplates{sizeof(maestro_templates_interface),
                                                            &AbiCallbacks::registerTemplate};
    static constexpr maestro_spawn_hooks_interface kSpawnHooks{
        sizeof(maestro_spawn_hooks_interface), &AbiCallbacks::registerSpawnHook};
};

std::shared_ptr<LoadedSkill> LoadedSkill::load(const Manifest& manifest, const PrivateCopy& copy,
                                               std::shared_ptr<HostServices> services,
                                               std::string& reason) {
    std::shared_ptr<LoadedSkill> skill(new LoadedSkill);
    skill->id_ = manifest.id;
    skill->dir_ = manifest.dir.string();
    skill->services_ = std::move(services);
    reason = skill->open(manifest, copy);
    if (reason.empty()) reason = skill->initialise(manifest);
    if (!reason.empty()) return nullptr; // the destructor undoes whatever was done
    return skill;
}

// Checks the library file, copies it privately and loads the copy; returns a reason on failure.
std::string LoadedSkill::open(const Manifest& manifest, const PrivateCopy& copy) {
    const fs::path library = manifest.dir / manifest.library;
    const FileDescriptor fd(::open(library.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat info {};
    if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return "library " + manifest.library + " not found in " + manifest.dir.string();
    }
    // Checked on the descriptor that is copied, so the file cannot be swapped in between.
    if ((info.st_mode & S_IWOTH) != 0) {
        return "library " + library.string() +
               " is world-writable; refusing to load it (chmod o-w it)";
    }
    if (info.st_uid != ::geteuid()) {
        return "library " + library.string() + " is owned by uid " + std::to_string(info.st_uid) +
               ", not by the current user (uid " + std::to_string(::geteuid()) +
               "); refusing to load it";
    }
    struct stat dirInfo {};
    if (::stat(manifest.dir.c_str(), &dirInfo) == 0 && (dirInfo.st_mode & S_IWOTH) != 0 &&
        (dirInfo.st_mode & S_ISVTX) == 0) {
        return "skill folder " + manifest.dir.string() +
               " is world-writable; refusing to load its library (chmod o-w it)";
    }

    if (std::string problem = makePrivateCopy(fd.get(), info, manifest, copy); !problem.empty()) {
        return problem;
    }

    boost::dll::fs::error_code loadError;
    library_.load(boost::dll::fs::path(loadPath_), loadError,
                  boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (loadError || !library_.is_loaded()) {
        const char* detail = ::dlerror(); // Boost.DLL keeps only a generic error code
        const std::string why = detail != nullptr ? replaceAll(detail, loadPath_, library.string())
                                                  : loadError.message();
        return "cannot load library " + library.string() + ": " + why;
    }
    if (!library_.has(MAESTRO_ENTRY_SYMBOL)) {
        return "library " + library.string() +
               " does not export maestro_skill_entry; it is not a Maestro skill (see "
               "docs/writing-a-skill.md)";
    }
    entry_ = &library_.get<const maestro_entry>(MAESTRO_ENTRY_SYMBOL);
    return {};
}

// The private copy the library is loaded from: every load gets a file of its own, so dlopen
// never hands back an older copy that is still mapped, and replacing the library on disk cannot
// change code that is running. In memory (memfd) where the kernel offers it — no file to
// create or clean up — else a file in cacheDir named <id>-<identity hash>.<sequence>.so.
std::string LoadedSkill::makePrivateCopy(int fd, const struct stat& info, const Manifest& manifest,
                                         const PrivateCopy& copy) {
    const std::string library = (manifest.dir / manifest.library).string();
    const int memory =
        copy.inMemory ? ::memfd_create(("maestro-skill-" + manifest.id).c_str(), MFD_CLOEXEC) : -1;
    if (memory >= 0) {
        privateFd_ = memory;
        try {
            copyLibrary(fd, memory);
        } catch (const std::exception& e) {
            return "cannot copy library " + library + " into memory: " + e.what();
        }
        // Stays open while loaded, so no later load can reuse this /proc path.
        loadPath_ = "/proc/self/fd/" + std::to_string(memory);
        return {};
    }

    std::error_code ec;
    fs::create_directories(copy.cacheDir, ec);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016" PRIx64, identityHash(info));
    const fs::path path =
        copy.cacheDir / (manifest.id + "-" + hex + "." + std::to_string(++gLoadSequence) + ".so");
    const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (file < 0) return "cannot create the private copy " + path.string() + " of " + library;
    cacheFile_ = path;
    loadPath_ = path.string();
    try {
        copyLibrary(fd, file);
    } catch (const std::exception& e) {
        ::close(file);
        return "cannot copy library " + library + " to " + copy.cacheDir.string() + ": " + e.what();
    }
    ::close(file);
    return {};
}

// ABI negotiation, identity check and init; returns a reason on failure.
std::string LoadedSkill::initialise(const Manifest& manifest) {
    constexpr std::size_t kAbiEnd = offsetof(maestro_entry, abi) + sizeof(maestro_abi_version);
    if (entry_->struct_size < kAbiEnd) {
        return "entry table is too small to hold an ABI version (struct_size " +
               std::to_string(entry_->struct_size) + ")";
    }
    const AbiVersion built{entry_->abi.major, entry_->abi.minor};
    const AbiVersion host = hostAbi();
    if (built.major != host.major) {
        return "built for skill ABI " + toString(built) + ", but this host implements " +
               toString(host) + ": major versions must match";
    }
    if (built.minor > host.minor) {
        return "built for skill ABI " + toString(built) + ", newer than this host's " +
               toString(host) + ": update Maestro or rebuild the skill against ABI " +
               toString(host);
    }
    if (entry_->struct_size < sizeof(maestro_entry)) {
        return "entry table is too small for ABI 1.0 (struct_size " +
               std::to_string(entry_->struct_size) + ", need " +
               std::to_string(sizeof(maestro_entry)) + ")";
    }
    const std::string declaredId = entry_->id != nullptr ? entry_->id : "";
    if (declaredId != manifest.id) {
        return "library declares id \"" + declaredId + "\" but manifest.json says \"" +
               manifest.id + "\"";
    }
    if (entry_->init == nullptr) return "entry table has no init function";

    table_.struct_size = sizeof(maestro_host);
    table_.abi = {MAESTRO_ABI_MAJOR, MAESTRO_ABI_MINOR};
    table_.context = this;
    table_.skill_id = id_.c_str();
    table_.skill_dir = dir_.c_str();
    table_.get_interface = &AbiCallbacks::getInterface;
    table_.log = &AbiCallbacks::log;
    table_.config = &AbiCallbacks::config;
    table_.call_api = &AbiCallbacks::callApi;
    table_.session_context = &AbiCallbacks::sessionContext;
    table_.render_template = &AbiCallbacks::renderTemplate;
    table_.last_error = &AbiCallbacks::lastError;

    ErrorSlot error;
    std::int32_t rc = MAESTRO_ERR_FAILED;
    std::string thrown;
    registering_ = true;
    initThread_ = std::this_thread::get_id();
    try {
        rc = entry_->init(&table_, error.abi());
    } catch (const std::exception& e) {
        thrown = std::string("init threw an exception: ") + e.what();
    } catch (...) {
        thrown = "init threw an exception of unknown type";
    }
    registering_ = false;
    initialised_ = thrown.empty() && rc == MAESTRO_OK;

    // A registration fault is the root cause even when init then failed because of it.
    if (!faults_.empty()) return faults_.front();
    if (!thrown.empty()) return thrown;
    if (rc != MAESTRO_OK) return "init failed: " + describe(rc, error.message());

    std::set<std::string> registered;
    for (const auto& command : commands_) {
        registered.insert(command.info.path);
        if (!manifest.declaresCommand(command.info.path)) {
            return "the library registered command \"" + command.info.path +
                   "\", which manifest.json does not declare";
        }
    }
    for (const auto& command : manifest.commands) {
        if (registered.count(command.name) == 0) {
            return "manifest.json declares command \"" + command.name +
                   "\", which the library did not register";
        }
    }
    return {};
}

void LoadedSkill::fault(std::string reason) {
    faults_.push_back(std::move(reason));
}

LoadedSkill::~LoadedSkill() {
    if (initialised_ && entry_->deinit != nullptr) {
        try {
            entry_->deinit();
        } catch (...) {
            // Nothing to report to: the skill is going away.
        }
    }
    const auto destroyAll = [](auto& entries) {
        for (auto& entry : entries) {
            if (entry.destroy == nullptr) continue;
            try {
                entry.destroy(entry.userData);
            } catch (...) {
                // As above.
            }
        }
        entries.clear();
    };
    destroyAll(commands_);
    destroyAll(templates_);
    destroyAll(hooks_);
    entry_ = nullptr;
    library_.unload();
    if (privateFd_ >= 0) ::close(privateFd_);
    if (!cacheFile_.empty()) {
        std::error_code ec;
        fs::remove(cacheFile_, ec);
    }
}

int LoadedSkill::runCommand(std::size_t index, const std::vector<std::string>& args,
                            std::ostream& out, std::ostream& err,
                            std::string_view contextJson) const {
    const CommandEntry& command = commands_.at(index);
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
    constexpr int kExitInternal = 70;
    try {
        const std::int32_t rc =
            command.run(command.userData, static_cast<std::int32_t>(args.size()), argv.data(),
                        outWriter.abi(), errWriter.abi(), context.c_str());
        return rc >= 0 && rc <= 255 ? static_cast<int>(rc) : kExitInternal;
    } catch (const std::exception& e) {
        err << "error: command \"" << command.info.path << "\" of skill \"" << id_
            << "\" threw an exception: " << e.what() << "\n";
    } catch (...) {
        err << "error: command \"" << command.info.path << "\" of skill \"" << id_
            << "\" threw an exception of unknown type\n";
    }
    return kExitInternal;
}

CallResult LoadedSkill::renderTemplate(std::size_t index, const std::string& contextJson,
                                       const Poco::Dynamic::Var& context) const {
    const TemplateEntry& tmpl = templates_.at(index);
    return guardedCall([&](const maestro_writer* out, maestro_error* error) {
        if (!tmpl.text) return tmpl.render(tmpl.userData, contextJson.c_str(), out, error);
        const std::string text = tmpl.text->render(context);
        return out->write(out, text.data(), text.size());
    });
}

CallResult LoadedSkill::runHook(std::size_t index, const std::string& planJson) const {
    const HookEntry& hook = hooks_.at(index);
    return guardedCall([&](const maestro_writer* patch, maestro_error* error) {
        return hook.run(hook.userData, planJson.c_str(), patch, error);
    });
}

} // namespace maestro::skillhost
