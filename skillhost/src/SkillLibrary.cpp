#include "SkillLibrary.h"

#include "TrustedFiles.h"
#include "skillhost/SkillError.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace maestro::skillhost {

namespace fs = std::filesystem;

namespace {

// Every load gets its own file name, so dlopen never hands back a still-mapped older copy.
std::atomic<std::uint64_t> gLoadSequence{0};

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

} // namespace

SkillLibrary::FileDescriptor::~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
}

SkillLibrary::FileDescriptor&
SkillLibrary::FileDescriptor::operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

SkillLibrary::TemporaryFile::~TemporaryFile() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove(path_, ec);
}

SkillLibrary::SkillLibrary(const Manifest& manifest, const PrivateCopy& copy) {
    const fs::path library = manifest.dir / manifest.library;
    const FileDescriptor fd(::open(library.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat info {};
    if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
        throw SkillError("library " + manifest.library + " not found in " + manifest.dir.string());
    }
    requireTrusted(info, "library " + library.string());
    requireInsideFolder(library, manifest.dir, "library " + library.string());
    makePrivateCopy(fd.get(), info, manifest, copy);
    load(library);
}

SkillLibrary::~SkillLibrary() {
    entry_ = nullptr;
    library_.unload(); // before the members that hold the private copy go
}

// The private copy the library is loaded from: every load gets a file of its own, so dlopen
// never hands back an older copy that is still mapped, and replacing the library on disk cannot
// change code that is running. In memory (memfd) where the kernel offers it — no file to
// create or clean up — else a file in cacheDir named <id>-<identity hash>.<sequence>.so.
void SkillLibrary::makePrivateCopy(int fd, const struct stat& info, const Manifest& manifest,
                                   const PrivateCopy& copy) {
    const std::string library = (manifest.dir / manifest.library).string();
    if (copy.inMemory) {
        memoryCopy_ =
            FileDescriptor(::memfd_create(("maestro-skill-" + manifest.id).c_str(), MFD_CLOEXEC));
    }
    if (memoryCopy_.get() >= 0) {
        try {
            copyLibrary(fd, memoryCopy_.get());
        } catch (const std::exception& e) {
            throw SkillError("cannot copy library " + library + " into memory: " + e.what());
        }
        loadPath_ = "/proc/self/fd/" + std::to_string(memoryCopy_.get());
        return;
    }

    // Each missing folder on the way 0700, like everything in a Maestro home; existing ones
    // are left as they are (mkdir fails with EEXIST).
    fs::path folder;
    for (const auto& part : copy.cacheDir) {
        folder /= part;
        ::mkdir(folder.c_str(), 0700);
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016" PRIx64, identityHash(info));
    const fs::path path =
        copy.cacheDir / (manifest.id + "-" + hex + "." + std::to_string(++gLoadSequence) + ".so");
    const FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (file.get() < 0) {
        throw SkillError("cannot create the private copy " + path.string() + " of " + library);
    }
    cacheCopy_.adopt(path);
    loadPath_ = path.string();
    try {
        copyLibrary(fd, file.get());
    } catch (const std::exception& e) {
        throw SkillError("cannot copy library " + library + " to " + copy.cacheDir.string() + ": " +
                         e.what());
    }
}

// Loads the private copy; `library` names the original in messages.
void SkillLibrary::load(const fs::path& library) {
    boost::dll::fs::error_code loadError;
    library_.load(boost::dll::fs::path(loadPath_), loadError,
                  boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (loadError || !library_.is_loaded()) {
        const char* detail = ::dlerror(); // Boost.DLL keeps only a generic error code
        const std::string why = detail != nullptr ? replaceAll(detail, loadPath_, library.string())
                                                  : loadError.message();
        throw SkillError("cannot load library " + library.string() + ": " + why);
    }
    if (!library_.has(MAESTRO_ENTRY_SYMBOL)) {
        throw SkillError("library " + library.string() +
                         " does not export maestro_skill_entry; it is not a Maestro skill (see "
                         "docs/writing-a-skill.md)");
    }
    entry_ = &library_.get<const maestro_entry>(MAESTRO_ENTRY_SYMBOL);
}

} // namespace maestro::skillhost
