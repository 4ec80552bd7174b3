#pragma once

#include "json/Writer.h"

#include <Poco/JSON/Object.h>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maestro::domain {

// How a project's sessions are kept apart: each in a git worktree and branch of its own, or
// all in the project's working directory.
enum class Isolation { Worktree, None };
std::string_view toString(Isolation isolation) noexcept;
std::optional<Isolation> parseIsolation(std::string_view text) noexcept;

// What becomes of a session's worktree.
enum class WorktreeState {
    Active,    // the worktree is there, its branch holds the session's work
    Merged,    // merged into its base; worktree and branch removed
    Discarded, // removed with its branch, unmerged
};
std::string_view toString(WorktreeState state) noexcept;

// The worktree a session works in (docs/worktrees.md).
struct Worktree {
    std::string path;       // <home>/worktrees/<projectId>/<sessionId>
    std::string branch;     // maestro/<task-slug>-<short session id>
    std::string base;       // the branch it was made from; for a detached HEAD, the commit
    std::string baseCommit; // the base's commit when the worktree was made
    std::string repository; // the project's checkout (or bare repository) merges go into
    WorktreeState state = WorktreeState::Active;
    std::optional<std::int64_t> diskBytes;   // what the worktree's folder holds
    std::optional<std::string> mergedCommit; // the commit the merge made on the base
    // The files its branch changes against its base, as its session ended: more than none
    // puts the session in the attention inbox (review) until it is merged or discarded.
    std::optional<std::int64_t> changedFiles;

    bool operator==(const Worktree&) const = default;
};

void writeJson(json::Writer& out, const Worktree& worktree);
// Reads back what writeJson wrote.
Worktree worktreeFromJson(const Poco::JSON::Object& object);

// A branch name a client may give (a project's baseBranch): what git accepts as a branch,
// kept to what cannot be mistaken for an option or a revision expression — 1-200 characters
// of letters, digits and . _ - /, no "..", "//", "@{", no component starting with "." or "-",
// not ending in "/", "." or ".lock".
bool isValidBranchName(std::string_view name) noexcept;

} // namespace maestro::domain
