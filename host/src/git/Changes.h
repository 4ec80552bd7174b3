#pragma once

#include "git/Repository.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::git {

// One file a session's branch changes against its base: committed and uncommitted work
// together, untracked files included.
struct FileChange {
    std::string path;
    std::string status; // "added", "modified", "deleted" or "typechange"
    int additions = 0;
    int deletions = 0;
    bool binary = false;
    bool uncommitted = false; // the working tree or index differs from the branch's last commit
    bool untracked = false;   // a new file git does not track yet (counted here, not by git)
    std::string stamp;        // untracked: its size and time when its lines were counted
};

// Where a worktree stands against its base.
struct ChangeSet {
    std::string branch;
    std::string base;
    std::string head;              // the branch's commit
    std::string mergeBase;         // where the branch left its base
    int ahead = 0;                 // commits on the branch not on the base
    int behind = 0;                // commits on the base since
    std::vector<FileChange> files; // by path

    bool sameAs(const ChangeSet& other) const;
};

// What one `git status` of a worktree shows, and a fingerprint of it: the status text plus
// the size and modification time of every file it lists. If the fingerprint has not moved,
// neither has the change set (a commit moves HEAD, an edit the file's time, a moved base the
// ahead/behind counts), so a refresh can stop after this one cheap command.
struct Snapshot {
    Status status;
    std::string fingerprint;
};

class ChangeReader {
public:
    // `base`: the branch (or, for a worktree made from a detached HEAD, the commit) it was
    // made from.
    ChangeReader(const Repository& worktree, std::string base)
        : worktree_(worktree), base_(std::move(base)) {}

    Snapshot look() const;
    // The change set for that snapshot. `previous` (the last change set of this worktree)
    // saves work: its merge base is reused while HEAD and the base have not moved, and the
    // line counts of untracked files whose size and time have not changed.
    ChangeSet read(const Snapshot& snapshot, const ChangeSet* previous) const;

    // The unified diff of every change (or of one changed path), untracked files rendered
    // as new files the way git shows them. Throws GitError (OutputTooLarge) past maxBytes.
    std::string diff(const ChangeSet& changes, const std::optional<std::string>& path,
                     std::size_t maxBytes) const;

private:
    const Repository& worktree_;
    std::string base_;
};

} // namespace maestro::host::git
