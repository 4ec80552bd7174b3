#pragma once

#include <map>
#include <string>
#include <vector>

namespace maestro::host::worktree {

// What one live session of a project is changing.
struct SessionPaths {
    std::string sessionId;
    std::vector<std::string> taskIds;
    std::vector<std::string> paths; // sorted
};

// Two or more live sessions changing the same paths: one entry per set of sessions, with
// every path they all change.
struct Overlap {
    std::vector<std::string> sessionIds; // sorted
    std::vector<std::string> taskIds;    // theirs, sorted, each once
    std::vector<std::string> paths;      // sorted

    bool operator==(const Overlap&) const = default;
};

// The overlaps among a project's live sessions, ordered by their session ids. A path
// changed by three sessions is one overlap of the three (not three pairs).
std::vector<Overlap> findOverlaps(const std::vector<SessionPaths>& sessions);

// The overlaps that differ between two results: new or changed ones as they are now, and
// ones that ended with no paths.
std::vector<Overlap> overlapChanges(const std::vector<Overlap>& before,
                                    const std::vector<Overlap>& after);

} // namespace maestro::host::worktree
