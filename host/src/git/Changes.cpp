#include "git/Changes.h"

#include "git/NewFileDiff.h"

#include <algorithm>
#include <map>
#include <sys/stat.h>

namespace maestro::host::git {

namespace {

std::string statusName(char status) {
    switch (status) {
    case 'A':
        return "added";
    case 'D':
        return "deleted";
    case 'T':
        return "typechange";
    default:
        return "modified";
    }
}

// Size, modification time and inode of a file (without following a final symlink); what
// changes when anything writes it.
std::string stamp(const std::filesystem::path& file) {
    struct stat info {};
    if (::lstat(file.c_str(), &info) != 0) return "-";
    return std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
           std::to_string(info.st_mtim.tv_nsec) + ":" + std::to_string(info.st_ino) + ":" +
           std::to_string(info.st_mode);
}

} // namespace

bool ChangeSet::sameAs(const ChangeSet& other) const {
    auto sameFile = [](const FileChange& a, const FileChange& b) {
        return a.path == b.path && a.status == b.status && a.additions == b.additions &&
               a.deletions == b.deletions && a.binary == b.binary && a.uncommitted == b.uncommitted;
    };
    return branch == other.branch && base == other.base && head == other.head &&
           ahead == other.ahead && behind == other.behind &&
           std::equal(files.begin(), files.end(), other.files.begin(), other.files.end(), sameFile);
}

Snapshot ChangeReader::look() const {
    Snapshot snapshot;
    snapshot.status = worktree_.status();
    auto& print = snapshot.fingerprint;
    print = snapshot.status.head + "\n" + snapshot.status.branch + "\n" +
            std::to_string(snapshot.status.ahead.value_or(-1)) + "/" +
            std::to_string(snapshot.status.behind.value_or(-1)) + "\n";
    for (const auto& entry : snapshot.status.entries) {
        print += entry.path;
        print += '\0';
        print += entry.index;
        print += entry.worktree;
        print += entry.untracked ? '?' : ' ';
        print += stamp(worktree_.dir() / entry.path);
        print += '\n';
    }
    return snapshot;
}

ChangeSet ChangeReader::read(const Snapshot& snapshot, const ChangeSet* previous) const {
    const auto& status = snapshot.status;
    ChangeSet changes;
    changes.branch = status.branch;
    changes.base = base_;
    changes.head = status.head;

    bool trackingBase = status.upstream && status.ahead && status.behind;
    bool unmoved =
        previous && previous->head == status.head && !previous->mergeBase.empty() &&
        (!trackingBase || (previous->ahead == *status.ahead && previous->behind == *status.behind));
    if (unmoved) {
        changes.mergeBase = previous->mergeBase;
        changes.ahead = previous->ahead;
        changes.behind = previous->behind;
    } else {
        changes.mergeBase = worktree_.mergeBase(base_, "HEAD").value_or(status.head);
        if (trackingBase) {
            changes.ahead = *status.ahead;
            changes.behind = *status.behind;
        } else {
            std::tie(changes.ahead, changes.behind) = worktree_.aheadBehind(base_, "HEAD");
        }
    }

    std::map<std::string, const StatusEntry*> uncommitted;
    for (const auto& entry : status.entries)
        uncommitted.emplace(entry.path, &entry);

    for (auto& entry : worktree_.diffWorkingTree(changes.mergeBase)) {
        FileChange file;
        file.status = statusName(entry.status);
        file.additions = entry.additions;
        file.deletions = entry.deletions;
        file.binary = entry.binary;
        file.uncommitted = uncommitted.count(entry.path) > 0;
        file.path = std::move(entry.path);
        changes.files.push_back(std::move(file));
    }

    std::map<std::string, const FileChange*> known;
    if (previous)
        for (const auto& file : previous->files)
            known.emplace(file.path, &file);
    for (const auto& entry : status.entries) {
        if (!entry.untracked) continue;
        FileChange file;
        file.path = entry.path;
        file.status = "added";
        file.uncommitted = true;
        file.untracked = true;
        auto it = known.find(entry.path);
        auto now = stamp(worktree_.dir() / entry.path);
        if (it != known.end() && it->second->untracked && it->second->stamp == now) {
            file.additions = it->second->additions;
            file.binary = it->second->binary;
        } else if (auto lines = countLines(worktree_.dir(), entry.path)) {
            file.additions = lines->lines;
            file.binary = lines->binary;
        }
        file.stamp = now;
        changes.files.push_back(std::move(file));
    }
    std::sort(changes.files.begin(), changes.files.end(),
              [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
    return changes;
}

std::string ChangeReader::diff(const ChangeSet& changes, const std::optional<std::string>& path,
                               std::size_t maxBytes) const {
    auto tooLarge = [maxBytes] {
        return GitError(GitError::Kind::OutputTooLarge,
                        "the diff is larger than " + std::to_string(maxBytes) + " bytes");
    };
    std::vector<const FileChange*> untracked;
    bool tracked = !path;
    for (const auto& file : changes.files) {
        if (path && file.path != *path) continue;
        if (file.untracked)
            untracked.push_back(&file);
        else
            tracked = true;
    }
    std::string out;
    if (tracked) out = worktree_.diffText(changes.mergeBase, path, maxBytes);
    for (const auto* file : untracked) {
        auto text =
            newFileDiff(worktree_.dir(), file->path, maxBytes - std::min(maxBytes, out.size()));
        if (!text) throw tooLarge();
        out += *text;
    }
    if (out.size() > maxBytes) throw tooLarge();
    return out;
}

} // namespace maestro::host::git
