#pragma once

#include "git/Git.h"
#include "git/Porcelain.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::git {

// What a directory is to git.
struct RepositoryInfo {
    bool bare = false;
    std::filesystem::path commonDir; // the repository's .git (shared by all its worktrees)
    std::filesystem::path topLevel;  // the worktree's top directory; empty when bare
    std::string branch;              // the branch HEAD names ("main"); empty when detached
    std::string head;                // the commit HEAD is at; empty before the first commit
};

// Who commits when git has no identity configured for the repository.
struct Identity {
    std::string name = "Maestro";
    std::string email = "maestro@localhost";
};

// One git command per operation, on the repository (or worktree) at `dir`. Names that come
// from outside (branches, paths) are passed after `--` or as full refs, so none can be taken
// for an option.
class Repository {
public:
    Repository(const Git& git, std::filesystem::path dir) : git_(git), dir_(std::move(dir)) {}
    const std::filesystem::path& dir() const noexcept { return dir_; }

    // The git folder of this worktree (for a linked worktree, its own folder under the
    // repository's worktrees/): where HEAD, the index and HEAD's log live.
    std::filesystem::path gitDir() const;

    // nullopt when `dir` is not in a git repository.
    static std::optional<RepositoryInfo> probe(const Git& git, const std::filesystem::path& dir);

    // The commit a revision names, or nullopt.
    std::optional<std::string> resolveCommit(const std::string& revision) const;
    bool branchExists(const std::string& branch) const;
    // The branches under refs/heads/ that start with `prefix` (short names).
    std::vector<std::string> branchesStartingWith(const std::string& prefix) const;

    // git worktree add: a new worktree at `path` on a new branch made from `start`. With
    // `track` (start is a branch) the new branch gets it as upstream, so `git status` in the
    // worktree reports how far ahead and behind it is.
    void addWorktree(const std::filesystem::path& path, const std::string& branch,
                     const std::string& start, bool track) const;
    // Checks out the submodules of the worktree at dir(), when it has any.
    void initSubmodules() const;
    // Removes a worktree of this repository, whatever it holds, and forgets it.
    void removeWorktree(const std::filesystem::path& path) const;
    void deleteBranch(const std::string& branch) const;
    // git worktree prune: forgets worktrees whose folders are gone.
    void pruneWorktrees() const;
    std::vector<WorktreeEntry> worktrees() const;

    // git status of this worktree, untracked files listed one by one.
    Status status() const;
    std::optional<std::string> mergeBase(const std::string& a, const std::string& b) const;
    // Commits reachable from `right` and not `left`, and the other way round.
    std::pair<int, int> aheadBehind(const std::string& left, const std::string& right) const;
    // The tracked changes of the working tree against `commit`, with line counts.
    std::vector<DiffEntry> diffWorkingTree(const std::string& commit) const;
    // The unified diff of the working tree against `commit` (tracked files), limited to `path`
    // when given. Throws GitError (OutputTooLarge) past maxBytes.
    std::string diffText(const std::string& commit, const std::optional<std::string>& path,
                         std::size_t maxBytes) const;
    // Paths that differ between two commits or trees.
    std::vector<std::string> changedPaths(const std::string& from, const std::string& to) const;

    // Stages everything in the worktree and commits it (without hooks: the commit takes the
    // work exactly as it is). Returns the new commit, or nullopt when there was nothing to
    // commit.
    std::optional<std::string> commitAll(const std::string& message) const;
    // git merge-tree --write-tree: merges without touching any worktree or index.
    MergeTreeResult mergeTree(const std::string& ours, const std::string& theirs) const;
    std::string commitTree(const std::string& tree, const std::vector<std::string>& parents,
                           const std::string& message) const;
    // Moves index and files of this worktree from tree `from` to tree `to` (git read-tree -m
    // -u); refuses, changing nothing, when a file it must change has local changes.
    void switchTree(const std::string& from, const std::string& to) const;
    // Points `ref` at `commit` if it still points at `expected`.
    void updateRef(const std::string& ref, const std::string& commit, const std::string& expected,
                   const std::string& message) const;

private:
    // `-c user.name=… -c user.email=…` when the repository has no identity of its own.
    std::vector<std::string> identityOptions() const;

    const Git& git_;
    std::filesystem::path dir_;
};

} // namespace maestro::host::git
