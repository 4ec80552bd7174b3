#include "worktree/Overlaps.h"

#include <algorithm>
#include <set>

namespace maestro::host::worktree {

std::vector<Overlap> findOverlaps(const std::vector<SessionPaths>& sessions) {
    // path → the sessions changing it
    std::map<std::string, std::set<std::size_t>> byPath;
    for (std::size_t i = 0; i < sessions.size(); ++i)
        for (const auto& path : sessions[i].paths)
            byPath[path].insert(i);

    std::map<std::vector<std::string>, Overlap> groups;
    for (auto& [path, who] : byPath) {
        if (who.size() < 2) continue;
        std::vector<std::string> ids;
        for (auto i : who)
            ids.push_back(sessions[i].sessionId);
        std::sort(ids.begin(), ids.end());
        auto& overlap = groups[ids];
        if (overlap.sessionIds.empty()) {
            overlap.sessionIds = ids;
            std::set<std::string> tasks;
            for (auto i : who)
                tasks.insert(sessions[i].taskIds.begin(), sessions[i].taskIds.end());
            overlap.taskIds.assign(tasks.begin(), tasks.end());
        }
        overlap.paths.push_back(path); // byPath is ordered, so paths stay sorted
    }
    std::vector<Overlap> out;
    for (auto& [ids, overlap] : groups)
        out.push_back(std::move(overlap));
    return out;
}

std::vector<Overlap> overlapChanges(const std::vector<Overlap>& before,
                                    const std::vector<Overlap>& after) {
    std::vector<Overlap> changes;
    for (const auto& now : after) {
        auto was = std::find_if(before.begin(), before.end(),
                                [&](const Overlap& o) { return o.sessionIds == now.sessionIds; });
        if (was == before.end() || !(*was == now)) changes.push_back(now);
    }
    for (const auto& was : before) {
        bool still = std::any_of(after.begin(), after.end(),
                                 [&](const Overlap& o) { return o.sessionIds == was.sessionIds; });
        if (!still) changes.push_back({was.sessionIds, was.taskIds, {}});
    }
    return changes;
}

} // namespace maestro::host::worktree
