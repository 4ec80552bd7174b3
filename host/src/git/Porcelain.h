#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::host::git {

// Parsers for the machine-readable output of the git commands this server runs, always with
// -z (entries end in NUL and paths are never quoted). Malformed input throws
// std::invalid_argument; nothing here runs git.

// `git status --porcelain=v2 -z --branch`.
struct StatusEntry {
    std::string path;
    char index = '.';    // X: the change staged in the index ('.' none, M, A, D, T, R, C, U)
    char worktree = '.'; // Y: the change in the working tree ('.' none, M, D, T, U)
    bool untracked = false;
    bool conflicted = false; // an unmerged entry
};
struct Status {
    std::string head;   // the commit checked out; empty before the first commit
    std::string branch; // empty when HEAD is detached
    std::optional<std::string> upstream;
    std::optional<int> ahead, behind; // against the upstream, when there is one
    std::vector<StatusEntry> entries; // ignored files are not listed
};
Status parseStatus(std::string_view text);

// `git diff --raw --numstat -z --no-renames`: one entry per changed path.
struct DiffEntry {
    std::string path;
    char status = 'M'; // A, D, M, T (type change), U
    std::string oldMode, newMode;
    int additions = 0;
    int deletions = 0;
    bool binary = false; // numstat printed "-" for both counts
};
std::vector<DiffEntry> parseRawNumstat(std::string_view text);

// `git merge-tree --write-tree -z --name-only --no-messages`: the merged tree, and the paths
// that conflict (empty for a clean merge).
struct MergeTreeResult {
    std::string tree;
    std::vector<std::string> conflicts;
};
MergeTreeResult parseMergeTree(std::string_view text);

// `git worktree list --porcelain -z`.
struct WorktreeEntry {
    std::string path;
    std::string head;
    std::string branch; // the full ref ("refs/heads/main"); empty when detached or bare
    bool bare = false;
};
std::vector<WorktreeEntry> parseWorktreeList(std::string_view text);

// Splits NUL-terminated records (the last one may lack its NUL).
std::vector<std::string_view> splitNul(std::string_view text);

} // namespace maestro::host::git
