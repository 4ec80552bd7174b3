#pragma once

// Internal to maestro::skillhost: a skill's shared library, checked and loaded from a private
// copy.

#include "skillhost/Manifest.h"

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <maestro/skill_abi.h>
#include <string>
#include <sys/stat.h>

namespace maestro::skillhost {

// Where the private copy of a library goes (RegistryOptions explains why there is one).
struct PrivateCopy {
    std::filesystem::path cacheDir;
    bool inMemory = true;
};

// The library file of a manifest, loaded. Before anything of it runs, the file must be a
// regular file owned by the current user and not world-writable, in a folder that is not
// world-writable (unless sticky) — checked on the descriptor that is copied, so the file cannot
// be swapped in between. Every load runs its own copy: in memory (memfd) where the kernel
// offers it, else a file in the cache directory, deleted again once the library is unloaded.
class SkillLibrary {
public:
    // Checks, copies and loads manifest.dir / manifest.library, and finds maestro_skill_entry.
    // Throws SkillError with the reason; nothing stays loaded or on disk then.
    SkillLibrary(const Manifest& manifest, const PrivateCopy& copy);
    // Unloads the library, then removes its private copy.
    ~SkillLibrary();
    SkillLibrary(const SkillLibrary&) = delete;
    SkillLibrary& operator=(const SkillLibrary&) = delete;

    // The skill's entry table; valid until this object is destroyed.
    const maestro_entry& entry() const noexcept { return *entry_; }

private:
    // Owns one open descriptor.
    class FileDescriptor {
    public:
        explicit FileDescriptor(int fd = -1) noexcept : fd_(fd) {}
        ~FileDescriptor();
        FileDescriptor(const FileDescriptor&) = delete;
        FileDescriptor& operator=(const FileDescriptor&) = delete;
        FileDescriptor& operator=(FileDescriptor&& other) noexcept;
        int get() const noexcept { return fd_; }

    private:
        int fd_;
    };

    // Removes the file it names when destroyed (empty: nothing).
    class TemporaryFile {
    public:
        TemporaryFile() = default;
        ~TemporaryFile();
        TemporaryFile(const TemporaryFile&) = delete;
        TemporaryFile& operator=(const TemporaryFile&) = delete;
        void adopt(std::filesystem::path path) { path_ = std::move(path); }

    private:
        std::filesystem::path path_;
    };

    void makePrivateCopy(int fd, const struct stat& info, const Manifest& manifest,
                         const PrivateCopy& copy);
    void load(const std::filesystem::path& library);

    // Declared before library_, so they are destroyed after it is unloaded: the in-memory copy
    // stays open while loaded (no later load can be handed this /proc/self/fd path), and the
    // cache file is deleted only once nothing maps it.
    FileDescriptor memoryCopy_;
    TemporaryFile cacheCopy_;
    std::string loadPath_; // what dlopen is given
    boost::dll::shared_library library_;
    const maestro_entry* entry_ = nullptr;
};

} // namespace maestro::skillhost
