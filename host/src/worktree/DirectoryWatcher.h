#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace maestro::host::worktree {

// Tells which watched folders saw a file written, created, removed or renamed, through one
// inotify instance. A key (a session) watches one or more folders — a worktree with every
// folder below it, and non-recursively the git folders where a commit leaves its mark.
// Folders created later under a recursive one are watched as they appear. Not thread-safe:
// one thread (the change monitor's) owns it.
class DirectoryWatcher {
public:
    explicit DirectoryWatcher(std::size_t maxWatchesPerKey = 20000);
    ~DirectoryWatcher();
    DirectoryWatcher(const DirectoryWatcher&) = delete;
    DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

    // False when inotify is not available at all.
    bool available() const noexcept { return fd_ >= 0; }
    // Readable when events are waiting (for epoll).
    int fd() const noexcept { return fd_; }

    // Watches `dir` (and, when recursive, every folder below it except .git folders) for `key`.
    // False when the kernel's or this watcher's limit was reached: then nothing of `key` is
    // watched any more, and the caller must poll it instead.
    bool add(const std::string& key, const std::filesystem::path& dir, bool recursive);
    void remove(const std::string& key);
    bool watching(const std::string& key) const { return byKey_.count(key) > 0; }
    std::size_t watchCount() const noexcept { return byWatch_.size(); }

    // Reads the waiting events; returns the keys that saw activity. When the kernel's queue
    // overflowed, every key is returned. Keys whose new folders could not be watched are
    // added to `lost`.
    std::set<std::string> read(std::set<std::string>& lost);

private:
    struct Watch {
        std::string key;
        std::filesystem::path dir;
        bool recursive = false;
    };
    // Adds one folder (and below, when recursive); false on a limit.
    bool addTree(const std::string& key, const std::filesystem::path& dir, bool recursive);
    bool addOne(const std::string& key, const std::filesystem::path& dir, bool recursive);

    int fd_ = -1;
    std::size_t maxPerKey_;
    std::map<int, Watch> byWatch_;
    std::map<std::string, std::set<int>> byKey_;
};

} // namespace maestro::host::worktree
