#include "worktree/DirectoryWatcher.h"

#include <cerrno>
#include <sys/inotify.h>
#include <unistd.h>

namespace maestro::host::worktree {

namespace {

// Content written, files created, removed, renamed, or their mode changed; a folder itself
// removed or moved. IN_EXCL_UNLINK: a removed file still open elsewhere is not watched on.
constexpr std::uint32_t kMask = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_ATTRIB |
                                IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                                IN_ONLYDIR | IN_EXCL_UNLINK;

} // namespace

DirectoryWatcher::DirectoryWatcher(std::size_t maxWatchesPerKey)
    : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)), maxPerKey_(maxWatchesPerKey) {}

DirectoryWatcher::~DirectoryWatcher() {
    if (fd_ >= 0) ::close(fd_);
}

bool DirectoryWatcher::addOne(const std::string& key, const std::filesystem::path& dir,
                              bool recursive) {
    auto& mine = byKey_[key];
    if (mine.size() >= maxPerKey_) return false;
    int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask);
    if (wd < 0) {
        // A folder that vanished meanwhile is no loss; running out of watches is.
        return errno == ENOENT || errno == ENOTDIR || errno == EACCES;
    }
    mine.insert(wd);
    byWatch_[wd] = {key, dir, recursive};
    return true;
}

bool DirectoryWatcher::addTree(const std::string& key, const std::filesystem::path& dir,
                               bool recursive) {
    if (!addOne(key, dir, recursive)) return false;
    if (!recursive) return true;
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code typeError;
        if (!it->is_directory(typeError) || it->is_symlink(typeError)) continue;
        if (it->path().filename() == ".git") continue;
        if (!addTree(key, it->path(), true)) return false;
    }
    return true;
}

bool DirectoryWatcher::add(const std::string& key, const std::filesystem::path& dir,
                           bool recursive) {
    if (fd_ < 0) return false;
    if (addTree(key, dir, recursive)) return true;
    remove(key);
    return false;
}

void DirectoryWatcher::remove(const std::string& key) {
    auto it = byKey_.find(key);
    if (it == byKey_.end()) return;
    for (int wd : it->second) {
        ::inotify_rm_watch(fd_, wd);
        byWatch_.erase(wd);
    }
    byKey_.erase(it);
}

std::set<std::string> DirectoryWatcher::read(std::set<std::string>& lost) {
    std::set<std::string> active;
    alignas(inotify_event) char buffer[64 * 1024];
    for (;;) {
        auto n = ::read(fd_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (char* p = buffer; p < buffer + n;) {
            auto* event = reinterpret_cast<inotify_event*>(p);
            p += sizeof(inotify_event) + event->len;
            if (event->mask & IN_Q_OVERFLOW) {
                for (const auto& [key, watches] : byKey_)
                    active.insert(key);
                continue;
            }
            auto it = byWatch_.find(event->wd);
            if (it == byWatch_.end()) continue;
            const auto watch = it->second; // a copy: the maps may change below
            if (event->mask & IN_IGNORED) {
                // The folder is gone (or was unwatched): its descriptor is free for reuse.
                byWatch_.erase(it);
                if (auto mine = byKey_.find(watch.key); mine != byKey_.end())
                    mine->second.erase(event->wd);
                continue;
            }
            active.insert(watch.key);
            bool newFolder = (event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO));
            if (newFolder && watch.recursive && event->len > 0 &&
                std::string_view(event->name) != ".git" && !lost.count(watch.key)) {
                if (!addTree(watch.key, watch.dir / event->name, true)) {
                    remove(watch.key);
                    lost.insert(watch.key);
                }
            }
        }
    }
    return active;
}

} // namespace maestro::host::worktree
