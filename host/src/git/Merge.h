#pragma once

#include "git/Git.h"

#include <filesystem>
#include <string>
#include <vector>

namespace maestro::host::git {

enum class MergeStrategy {
    Merge,  // a merge commit with the base and the branch as parents
    Squash, // one commit on the base with the branch's changes
};

struct MergeRequest {
    // The repository: the project's checkout (any worktree of it) or a bare repository.
    std::filesystem::path repository;
    // The branch to merge into. Empty: whatever the checkout at `repository` has checked out
    // (for a worktree made from a detached HEAD).
    std::string base;
    std::string branch; // the branch to merge
    MergeStrategy strategy = MergeStrategy::Merge;
    std::string message;
};

struct MergeOutcome {
    enum class Kind {
        Merged,        // the base now holds the branch's work
        UpToDate,      // the base already holds all of it; nothing was done
        Conflict,      // the branch conflicts with the base; nothing was done
        CheckoutDirty, // the checkout has local changes to files the merge must change
    };
    Kind kind = Kind::Merged;
    std::string commit; // Merged: the new commit on the base
    // Merged: the paths it changed on the base; Conflict: the conflicting paths;
    // CheckoutDirty: the checkout's changed paths the merge would overwrite.
    std::vector<std::string> files;
    std::filesystem::path checkout; // the worktree whose files were updated (empty: none)
    std::string detail;             // CheckoutDirty: git's explanation, when git refused
};

// Merges `branch` into `base` without ever leaving the checkout half-merged. The merge is
// computed in the object database (git merge-tree), never in a working tree, so a conflict
// changes no file, index entry or ref. A clean result is committed (git commit-tree); where
// the base is checked out, the checkout's index and files are moved from the old commit to
// the new one (git read-tree -m -u) only after checking that no file it changes has local
// changes, then the ref moves, and only if it still points where it did (else the files move
// back). Where the base is not checked out, only the ref moves.
// The caller keeps two merges into one repository from running at once.
MergeOutcome merge(const Git& git, const MergeRequest& request);

} // namespace maestro::host::git
