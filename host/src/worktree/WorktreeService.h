#pragma once

#include "domain/Project.h"
#include "domain/Session.h"
#include "git/Changes.h"
#include "git/Git.h"
#include "service/EventRecorder.h"
#include "service/SessionService.h"
#include "service/TaskService.h"
#include "store/Database.h"
#include "worktree/Overlaps.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::worktree {

struct WorktreeConfig {
    std::filesystem::path root;            // <home>/worktrees
    std::size_t maxDiffBytes = 16u << 20;  // a larger diff is refused (ask for one path)
    std::size_t maxEventFiles = 200;       // files listed in a session:changes event
    std::chrono::seconds diskInterval{60}; // how often a live session's disk use is measured
};

// Where a spawn puts its session (WorktreeService::place).
struct Placement {
    std::optional<domain::Worktree> worktree; // set: the session works in it
    std::string cwd;                          // the session's directory
    std::string note;                         // why isolation fell back to none, if it did
};

struct MergeOptions {
    bool squash = false;
    std::optional<std::string> message;
    bool force = false; // a live session is stopped first instead of refused
};

// Session worktrees (docs/worktrees.md): made at spawn, their change sets kept current and
// announced (session:changes), overlaps between a project's live sessions found and announced
// (project:overlap), and merged into or discarded from the project's repository. Every git
// operation goes through maestro::git; this maps its results to session records, events and
// API errors.
class WorktreeService {
public:
    using StopSession = std::function<void(const std::string& sessionId)>;

    WorktreeService(const git::Git& git, store::Database& db, service::EventRecorder& events,
                    service::SessionService& sessions, service::TaskService& tasks,
                    WorktreeConfig config);
    // Merge and discard with force stop a live session through this first.
    void setStopSession(StopSession stop) { stopSession_ = std::move(stop); }

    // At start-up: git worktree prune in each project's repository.
    void prune(const std::vector<domain::Project>& projects);

    // The spawn's isolation step: decides between a worktree and the project's directory
    // (`requested` overrides the project's setting) and makes the worktree. An explicit
    // request that cannot be met throws ApiError 422 (git_unavailable, not_a_git_repository,
    // invalid_base_branch, worktree_failed); the default falls back to none with a note.
    Placement place(const domain::Project& project, const std::string& sessionId,
                    const std::string& taskTitle, std::optional<domain::Isolation> requested);
    // Removes a worktree and its branch that a refused spawn made. Never throws.
    void abandon(const domain::Worktree& worktree) noexcept;
    // A spawn that stored its session and then failed to start: its worktree is removed and
    // the record says discarded. Never throws.
    void abandon(const std::string& sessionId) noexcept;

    // GET /api/sessions/:id/changes: {sessionId, projectId, branch, base, head, ahead, behind,
    // additions, deletions, files[], overlaps[]}.
    std::string changes(const std::string& sessionId);
    // GET /api/sessions/:id/diff: the unified diff, of one changed path when given.
    std::string diff(const std::string& sessionId, const std::optional<std::string>& path);
    // GET /api/projects/:id/overlaps.
    std::string overlaps(const std::string& projectId);
    // Whether a session's branch holds work its base does not (false without a worktree).
    bool hasUnmergedChanges(const std::string& sessionId);

    // POST /api/sessions/:id/merge and /discard.
    std::string merge(const std::string& sessionId, const MergeOptions& options);
    std::string discard(const std::string& sessionId, bool force);

    // The change monitor's calls: looks at the session's worktree again and announces its
    // change set (and the project's overlaps) if they moved. Returns false when the session
    // has no active worktree (any more).
    bool refresh(const std::string& sessionId);
    // The session is no longer live: its last change set is announced and its overlaps end.
    void ended(const std::string& sessionId);

    const WorktreeConfig& config() const noexcept { return config_; }

private:
    struct Tracked;
    std::shared_ptr<Tracked> track(const domain::Session& session);
    git::ChangeSet refresh(const domain::Session& session);
    git::ChangeSet readChanges(const domain::Session& session);
    void forget(const std::string& sessionId, const std::string& projectId);
    void updateOverlaps(const std::string& projectId);
    void measureDisk(Tracked& tracked, const std::string& sessionId);
    domain::Worktree requireActive(const domain::Session& session) const;
    void requireStopped(const domain::Session& session, bool force);
    void remove(const domain::Worktree& worktree);
    void finish(const std::string& sessionId, const domain::Worktree& worktree);
    std::string titleOf(const domain::Session& session);
    std::mutex& repositoryLock(const std::string& repository);
    std::string changesJson(const domain::Session& session, const git::ChangeSet& changes);

    const git::Git& git_;
    store::Database& db_;
    service::EventRecorder& events_;
    service::SessionService& sessions_;
    service::TaskService& tasks_;
    WorktreeConfig config_;
    StopSession stopSession_;

    std::mutex mutex_; // tracked_, overlaps_, repositoryLocks_
    std::map<std::string, std::shared_ptr<Tracked>> tracked_;
    std::map<std::string, std::vector<Overlap>> overlaps_; // by project
    std::map<std::string, std::unique_ptr<std::mutex>> repositoryLocks_;
    std::mutex overlapMutex_; // one overlap update (and its announcements) at a time
};

} // namespace maestro::host::worktree
