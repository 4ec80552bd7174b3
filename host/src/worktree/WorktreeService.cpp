#include "worktree/WorktreeService.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "git/Merge.h"
#include "git/Repository.h"
#include "json/Utf8.h"
#include "json/Writer.h"
#include "worktree/BranchName.h"
#include "worktree/ChangeJson.h"

#include <Poco/Logger.h>
#include <cerrno>
#include <set>
#include <sys/stat.h>
#include <system_error>

namespace maestro::host::worktree {

using domain::ApiError;
using domain::Isolation;
using domain::WorktreeState;
namespace fs = std::filesystem;
namespace events = domain::events;

// What is known of one session's worktree: its last change set, and the fingerprint of the
// status it came from (git/Changes.h).
struct WorktreeService::Tracked {
    std::mutex mutex; // one refresh of this worktree at a time
    domain::Worktree worktree;
    std::optional<git::ChangeSet> changes;
    std::string fingerprint;
    std::chrono::steady_clock::time_point diskMeasured{};
    // Guarded by WorktreeService::mutex_: what overlap detection reads.
    std::string projectId;
    std::vector<std::string> taskIds;
    std::vector<std::string> paths;
    bool live = false;
};

namespace {

Poco::Logger& logger() {
    return Poco::Logger::get("host.worktree");
}

std::string detailsJson(const std::function<void(json::Writer&)>& fill) {
    json::Writer out;
    out.beginObject();
    fill(out);
    out.endObject();
    return out.take();
}

// "a.c, b.c and 3 more", for messages.
std::string listed(const std::vector<std::string>& paths) {
    constexpr std::size_t kShown = 10;
    std::string text;
    for (std::size_t i = 0; i < paths.size() && i < kShown; ++i)
        text += (i ? ", " : "") + json::sanitizeUtf8(paths[i]);
    if (paths.size() > kShown) text += " and " + std::to_string(paths.size() - kShown) + " more";
    return text;
}

void writePaths(json::Writer& out, std::string_view name, const std::vector<std::string>& paths) {
    out.key(name).beginArray();
    for (const auto& path : paths)
        out.value(json::sanitizeUtf8(path));
    out.endArray();
}

// A git failure as the API reports it.
ApiError gitFailure(const git::GitError& error, std::string_view sessionId) {
    auto details = detailsJson([&](json::Writer& out) {
        out.field("sessionId", sessionId).field("reason", json::sanitizeUtf8(error.what()));
        if (!error.stderrText().empty())
            out.field("stderr", json::sanitizeUtf8(error.stderrText().substr(0, 4096)));
    });
    switch (error.kind()) {
    case git::GitError::Kind::NotRunnable:
        return ApiError(422, "git_unavailable", error.what(), details);
    case git::GitError::Kind::TimedOut:
        return ApiError(504, "git_timeout", error.what(), details);
    default:
        return ApiError(409, "git_failed", error.what(), details);
    }
}

// A base recorded as its own commit was a detached HEAD.
bool detachedBase(const domain::Worktree& worktree) {
    return worktree.base == worktree.baseCommit;
}

// Bytes the folder takes on disk (allocated blocks, as du counts them).
std::int64_t diskUse(const fs::path& dir) {
    std::int64_t bytes = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator
             it(dir, fs::directory_options::skip_permission_denied, ec),
         end;
         !ec && it != end; it.increment(ec)) {
        struct stat info {};
        if (::lstat(it->path().c_str(), &info) == 0)
            bytes += static_cast<std::int64_t>(info.st_blocks) * 512;
    }
    return bytes;
}

// `path` lies in `root` (both made absolute and normal, without resolving links: the
// recorded path must be one this server made).
bool isInside(const fs::path& path, const fs::path& root) {
    auto normal = path.lexically_normal();
    auto base = root.lexically_normal();
    auto rel = normal.lexically_relative(base);
    return path.is_absolute() && !rel.empty() && *rel.begin() != ".." && rel != ".";
}

} // namespace

WorktreeService::WorktreeService(const git::Git& git, store::Database& db,
                                 service::EventRecorder& events, service::SessionService& sessions,
                                 service::TaskService& tasks, WorktreeConfig config)
    : git_(git), db_(db), events_(events), sessions_(sessions), tasks_(tasks),
      config_(std::move(config)) {}

void WorktreeService::prune(const std::vector<domain::Project>& projects) {
    if (!git_.available()) return;
    std::set<fs::path> done;
    for (const auto& project : projects) {
        if (project.workingDir.empty()) continue;
        std::error_code ec;
        if (!fs::is_directory(project.workingDir, ec)) continue;
        try {
            auto info = git::Repository::probe(git_, project.workingDir);
            if (!info || !done.insert(info->commonDir).second) continue;
            git::Repository(git_, info->bare ? info->commonDir : info->topLevel).pruneWorktrees();
        } catch (const std::exception& e) {
            logger().warning("git worktree prune in %s: %s", project.workingDir,
                             std::string(e.what()));
        }
    }
}

Placement WorktreeService::place(const domain::Project& project, const std::string& sessionId,
                                 const std::string& taskTitle, std::optional<Isolation> requested) {
    Placement placement;
    placement.cwd = project.workingDir;
    auto isolation = requested ? requested : project.isolation;
    const bool explicitly = isolation.has_value();
    if (isolation == Isolation::None) return placement;

    // An explicit request that cannot be met refuses the spawn; the default falls back.
    auto refuse = [&](int status, const std::string& code, const std::string& message,
                      const std::string& note) {
        if (explicitly)
            throw ApiError(
                status, code, message, detailsJson([&](json::Writer& out) {
                    out.field("projectId", project.id).field("workingDir", project.workingDir);
                }));
        placement.note = note;
        return placement;
    };
    if (!git_.available())
        return refuse(422, "git_unavailable",
                      "git is not installed, so the session cannot get a worktree",
                      "git is not installed; the session works in the project's directory");
    if (project.workingDir.empty())
        return refuse(422, "not_a_git_repository",
                      "The project has no working directory, so it has no git repository", "");
    std::optional<git::RepositoryInfo> info;
    try {
        info = git::Repository::probe(git_, project.workingDir);
    } catch (const git::GitError& e) {
        return refuse(422, "worktree_failed", e.what(), std::string("no worktree: ") + e.what());
    }
    // A folder inside a repository's .git is in a repository but in no work tree.
    if (info && !info->bare && info->topLevel.empty()) info.reset();
    if (!info)
        return refuse(422, "not_a_git_repository",
                      "The project's working directory is not in a git repository: " +
                          project.workingDir,
                      "");

    git::Repository repository(git_, info->bare ? info->commonDir : info->topLevel);
    domain::Worktree worktree;
    worktree.repository = repository.dir().string();
    std::string start;
    bool track = true;
    if (project.baseBranch) {
        // A base the project names must exist, default isolation or not.
        if (!repository.branchExists(*project.baseBranch))
            throw ApiError(422, "invalid_base_branch",
                           "The project's base branch does not exist: " + *project.baseBranch,
                           detailsJson([&](json::Writer& out) {
                               out.field("baseBranch", *project.baseBranch)
                                   .field("repository", worktree.repository);
                           }));
        worktree.base = *project.baseBranch;
    } else if (info->head.empty()) { // an unborn branch: nothing to start from
        return refuse(422, "worktree_failed",
                      "The repository has no commit yet to start a worktree from",
                      "the repository has no commit yet; the session works in the project's "
                      "directory");
    } else if (!info->branch.empty()) {
        worktree.base = info->branch;
    } else {
        worktree.base = info->head; // detached: the worktree starts from that commit
        track = false;
    }
    start = track ? "refs/heads/" + worktree.base : worktree.base;

    fs::path path = config_.root / project.id / sessionId;
    try {
        worktree.baseCommit = repository.resolveCommit(start).value_or("");
        std::set<std::string> taken;
        auto wanted = sessionBranch(taskTitle, sessionId);
        for (auto& name : repository.branchesStartingWith(wanted))
            taken.insert(std::move(name));
        worktree.branch = uniqueBranch(wanted, taken);
        // The project's folder of worktrees is for the user only, as everything in the home.
        fs::create_directories(config_.root);
        if (::mkdir(path.parent_path().c_str(), 0700) != 0 && errno != EEXIST)
            throw std::system_error(errno, std::generic_category(),
                                    "mkdir " + path.parent_path().string());
        repository.addWorktree(path, worktree.branch, start, track);
    } catch (const std::exception& e) {
        std::error_code ec;
        fs::remove_all(path, ec);
        return refuse(422, "worktree_failed", std::string("git worktree add failed: ") + e.what(),
                      std::string("no worktree (") + e.what() +
                          "); the session works in the project's directory");
    }
    worktree.path = path.string();
    try {
        git::Repository(git_, path).initSubmodules();
    } catch (const std::exception& e) {
        abandon(worktree);
        return refuse(422, "worktree_failed",
                      std::string("The worktree's submodules could not be checked out: ") +
                          e.what(),
                      std::string("no worktree (submodules: ") + e.what() +
                          "); the session works in the project's directory");
    }
    // A project whose directory is a folder inside the repository works in the same folder of
    // the worktree.
    placement.cwd = path.string();
    if (!info->topLevel.empty()) {
        auto inside = fs::path(project.workingDir)
                          .lexically_normal()
                          .lexically_relative(info->topLevel.lexically_normal());
        std::error_code ec;
        if (!inside.empty() && inside != "." && *inside.begin() != ".." &&
            fs::is_directory(path / inside, ec))
            placement.cwd = (path / inside).string();
    }
    placement.worktree = std::move(worktree);
    return placement;
}

void WorktreeService::remove(const domain::Worktree& worktree) {
    if (!isInside(worktree.path, config_.root))
        throw ApiError(409, "worktree_outside_home",
                       "The recorded worktree is not one this server made: " + worktree.path);
    git::Repository repository(git_, worktree.repository);
    repository.removeWorktree(worktree.path);
    repository.deleteBranch(worktree.branch);
    // The project's folder under worktrees/ goes with its last worktree.
    std::error_code ec;
    fs::remove(fs::path(worktree.path).parent_path(), ec);
}

void WorktreeService::abandon(const domain::Worktree& worktree) noexcept {
    try {
        remove(worktree);
    } catch (const std::exception& e) {
        logger().error("cannot remove the worktree %s: %s", worktree.path, std::string(e.what()));
    }
}

void WorktreeService::abandon(const std::string& sessionId) noexcept {
    try {
        auto session = sessions_.find(sessionId);
        if (!session.worktree || session.worktree->state != WorktreeState::Active) return;
        abandon(*session.worktree);
        sessions_.updateWorktree(sessionId, [](domain::Worktree& worktree) {
            worktree.state = WorktreeState::Discarded;
            worktree.diskBytes = 0;
        });
    } catch (const std::exception& e) {
        logger().error("session %s: cannot discard its worktree: %s", sessionId,
                       std::string(e.what()));
    }
}

domain::Worktree WorktreeService::requireActive(const domain::Session& session) const {
    if (!session.worktree)
        throw ApiError(409, "no_worktree",
                       "Session " + session.id +
                           " works in the project's directory, not a worktree",
                       detailsJson([&](json::Writer& out) { out.field("sessionId", session.id); }));
    if (session.worktree->state != WorktreeState::Active)
        throw ApiError(409, "worktree_removed",
                       "The worktree of session " + session.id + " was " +
                           std::string(domain::toString(session.worktree->state)),
                       detailsJson([&](json::Writer& out) {
                           out.field("sessionId", session.id)
                               .field("state", domain::toString(session.worktree->state))
                               .field("mergedCommit", session.worktree->mergedCommit);
                       }));
    return *session.worktree;
}

std::shared_ptr<WorktreeService::Tracked> WorktreeService::track(const domain::Session& session) {
    std::lock_guard lock(mutex_);
    auto& entry = tracked_[session.id];
    if (!entry) {
        entry = std::make_shared<Tracked>();
        entry->worktree = *session.worktree;
    }
    entry->projectId = session.projectId;
    entry->taskIds = session.taskIds;
    entry->live = domain::isLive(session.status);
    return entry;
}

std::string WorktreeService::changesJson(const domain::Session& session,
                                         const git::ChangeSet& changes) {
    // The sessions this one overlaps with, and on which paths.
    std::vector<std::pair<std::string, std::vector<std::string>>> shared;
    {
        std::lock_guard lock(mutex_);
        auto& mine = tracked_[session.id];
        std::set<std::string> paths;
        if (mine) paths.insert(mine->paths.begin(), mine->paths.end());
        for (const auto& [id, other] : tracked_) {
            if (id == session.id || !other || !other->live || other->projectId != session.projectId)
                continue;
            std::vector<std::string> both;
            for (const auto& path : other->paths)
                if (paths.count(path)) both.push_back(path);
            if (!both.empty()) shared.emplace_back(id, std::move(both));
        }
    }
    json::Writer out(4096);
    out.beginObject();
    writeChangeFields(out, session, changes);
    out.key("overlaps").beginArray();
    for (const auto& [id, paths] : shared) {
        out.beginObject().field("sessionId", id);
        writePaths(out, "paths", paths);
        out.endObject();
    }
    out.endArray().endObject();
    return out.take();
}

git::ChangeSet WorktreeService::refresh(const domain::Session& session) {
    auto changes = readChanges(session);
    // An ended session's count is what puts it in the inbox for review (domain::awaitsReview);
    // it follows the worktree after the end too (a person committing or cleaning up by hand).
    auto files = static_cast<std::int64_t>(changes.files.size());
    if (domain::isEnded(session.status) && session.worktree &&
        session.worktree->changedFiles != files)
        sessions_.updateWorktree(session.id, [files](domain::Worktree& recorded) {
            if (recorded.state == WorktreeState::Active) recorded.changedFiles = files;
        });
    return changes;
}

git::ChangeSet WorktreeService::readChanges(const domain::Session& session) {
    auto entry = track(session);
    std::unique_lock lock(entry->mutex);
    git::Repository worktree(git_, entry->worktree.path);
    git::ChangeReader reader(worktree, entry->worktree.base);
    git::ChangeSet changes;
    try {
        auto snapshot = reader.look();
        if (entry->changes && snapshot.fingerprint == entry->fingerprint) return *entry->changes;
        changes = reader.read(snapshot, entry->changes ? &*entry->changes : nullptr);
        entry->fingerprint = std::move(snapshot.fingerprint);
    } catch (const git::GitError& e) {
        throw gitFailure(e, session.id);
    }
    bool moved = !entry->changes || !changes.sameAs(*entry->changes);
    entry->changes = changes;
    if (!moved) return changes;

    std::vector<std::string> paths;
    for (const auto& file : changes.files)
        paths.push_back(file.path);
    {
        std::lock_guard guard(mutex_);
        entry->paths = std::move(paths);
    }
    // Announced while this worktree's lock is held, so two refreshes cannot announce their
    // results out of order.
    json::Writer payload(2048);
    payload.beginObject();
    writeChangeFields(payload, session, changes, config_.maxEventFiles);
    payload.endObject();
    db_.write([&](store::Transaction& tx) {
        events_.record(tx, events::kSessionChanges, session.projectId, payload.str());
    });
    if (entry->live &&
        std::chrono::steady_clock::now() - entry->diskMeasured >= config_.diskInterval)
        measureDisk(*entry, session.id);
    lock.unlock();
    updateOverlaps(session.projectId);
    return changes;
}

void WorktreeService::measureDisk(Tracked& tracked, const std::string& sessionId) {
    tracked.diskMeasured = std::chrono::steady_clock::now();
    auto bytes = diskUse(tracked.worktree.path);
    if (tracked.worktree.diskBytes == bytes) return;
    tracked.worktree.diskBytes = bytes;
    try {
        // Only while the worktree is there: a merge or discard may have just removed it.
        sessions_.updateWorktree(sessionId, [bytes](domain::Worktree& worktree) {
            if (worktree.state == WorktreeState::Active) worktree.diskBytes = bytes;
        });
    } catch (const std::exception& e) {
        logger().warning("session %s: cannot record disk use: %s", sessionId,
                         std::string(e.what()));
    }
}

bool WorktreeService::refresh(const std::string& sessionId) {
    std::optional<domain::Session> session;
    try {
        session = sessions_.find(sessionId);
    } catch (const ApiError&) {
        return false; // deleted
    }
    if (!session->worktree || session->worktree->state != WorktreeState::Active) {
        forget(sessionId, session->projectId);
        return false;
    }
    refresh(*session);
    return true;
}

void WorktreeService::ended(const std::string& sessionId) {
    std::optional<domain::Session> session;
    try {
        session = sessions_.find(sessionId);
    } catch (const ApiError&) {
        return;
    }
    if (session->worktree && session->worktree->state == WorktreeState::Active) {
        try {
            refresh(*session); // its last changes
            auto entry = track(*session);
            std::lock_guard lock(entry->mutex);
            measureDisk(*entry, sessionId);
        } catch (const std::exception& e) {
            logger().warning("session %s: %s", sessionId, std::string(e.what()));
        }
    }
    {
        std::lock_guard lock(mutex_);
        if (auto it = tracked_.find(sessionId); it != tracked_.end()) it->second->live = false;
    }
    updateOverlaps(session->projectId);
}

void WorktreeService::forget(const std::string& sessionId, const std::string& projectId) {
    {
        std::lock_guard lock(mutex_);
        tracked_.erase(sessionId);
    }
    updateOverlaps(projectId);
}

void WorktreeService::updateOverlaps(const std::string& projectId) {
    std::lock_guard order(overlapMutex_);
    std::vector<Overlap> changed;
    {
        std::lock_guard lock(mutex_);
        std::vector<SessionPaths> live;
        for (const auto& [id, entry] : tracked_)
            if (entry->live && entry->projectId == projectId && !entry->paths.empty())
                live.push_back({id, entry->taskIds, entry->paths});
        auto now = findOverlaps(live);
        auto& before = overlaps_[projectId];
        changed = overlapChanges(before, now);
        before = std::move(now);
        if (before.empty()) overlaps_.erase(projectId);
    }
    if (changed.empty()) return;
    db_.write([&](store::Transaction& tx) {
        for (const auto& overlap : changed)
            events_.record(tx, events::kProjectOverlap, projectId, overlapJson(projectId, overlap));
    });
}

std::string WorktreeService::changes(const std::string& sessionId) {
    auto session = sessions_.find(sessionId);
    requireActive(session);
    auto changes = refresh(session);
    return changesJson(session, changes);
}

std::string WorktreeService::diff(const std::string& sessionId,
                                  const std::optional<std::string>& path) {
    auto session = sessions_.find(sessionId);
    auto worktree = requireActive(session);
    auto changes = refresh(session);
    std::optional<std::string> file;
    if (path) {
        // Only a path of the change set, as git reported it: never a pattern, an option or a
        // way out of the worktree.
        for (const auto& change : changes.files)
            if (change.path == *path || json::sanitizeUtf8(change.path) == *path)
                file = change.path;
        if (!file)
            throw ApiError(
                404, "path_not_changed", "Session " + sessionId + " has no change to that path",
                detailsJson([&](json::Writer& out) {
                    out.field("sessionId", sessionId).field("path", json::sanitizeUtf8(*path));
                }));
    }
    git::Repository repository(git_, worktree.path);
    try {
        return git::ChangeReader(repository, worktree.base)
            .diff(changes, file, config_.maxDiffBytes);
    } catch (const git::GitError& e) {
        if (e.kind() == git::GitError::Kind::OutputTooLarge)
            throw ApiError(
                422, "diff_too_large",
                "The diff is larger than " + std::to_string(config_.maxDiffBytes) +
                    " bytes; ask for one file with ?path=",
                detailsJson([&](json::Writer& out) {
                    out.field("sessionId", sessionId).field("limit", config_.maxDiffBytes);
                }));
        throw gitFailure(e, sessionId);
    }
}

std::string WorktreeService::overlaps(const std::string& projectId) {
    std::lock_guard lock(mutex_);
    std::string out = "[";
    if (auto it = overlaps_.find(projectId); it != overlaps_.end())
        for (const auto& overlap : it->second) {
            if (out.size() > 1) out += ',';
            out += overlapJson(projectId, overlap);
        }
    return out + "]";
}

bool WorktreeService::hasUnmergedChanges(const std::string& sessionId) {
    auto session = sessions_.find(sessionId);
    if (!session.worktree || session.worktree->state != WorktreeState::Active) return false;
    return !refresh(session).files.empty();
}

void WorktreeService::requireStopped(const domain::Session& session, bool force) {
    if (!domain::isLive(session.status)) return;
    if (!force || !stopSession_)
        throw ApiError(409, "session_live",
                       "Session " + session.id + " is still " +
                           std::string(domain::toString(session.status)) +
                           "; stop it first, or pass force",
                       detailsJson([&](json::Writer& out) {
                           out.field("sessionId", session.id)
                               .field("status", domain::toString(session.status));
                       }));
    stopSession_(session.id);
}

std::mutex& WorktreeService::repositoryLock(const std::string& repository) {
    std::lock_guard lock(mutex_);
    auto& slot = repositoryLocks_[repository];
    if (!slot) slot = std::make_unique<std::mutex>();
    return *slot;
}

void WorktreeService::finish(const std::string& sessionId, const domain::Worktree& worktree) {
    try {
        remove(worktree);
    } catch (const std::exception& e) {
        logger().error("session %s: cannot remove its worktree: %s", sessionId,
                       std::string(e.what()));
    }
    sessions_.updateWorktree(sessionId, [&worktree](domain::Worktree& recorded) {
        recorded.state = worktree.state;
        recorded.mergedCommit = worktree.mergedCommit;
        recorded.diskBytes = 0;
    });
    auto session = sessions_.find(sessionId);
    forget(sessionId, session.projectId);
}

std::string WorktreeService::titleOf(const domain::Session& session) {
    if (session.taskIds.empty()) return session.name;
    try {
        return tasks_.find(session.taskIds.front()).title;
    } catch (const ApiError&) {
        return session.name; // the task was deleted
    }
}

std::string WorktreeService::merge(const std::string& sessionId, const MergeOptions& options) {
    auto session = sessions_.find(sessionId);
    auto worktree = requireActive(session);
    requireStopped(session, options.force);
    session = sessions_.find(sessionId);
    worktree = requireActive(session);

    auto title = titleOf(session);
    std::lock_guard repositoryGuard(repositoryLock(worktree.repository));
    git::MergeOutcome outcome;
    try {
        git::Repository(git_, worktree.path)
            .commitAll(title + "\n\nWork of session " + session.id +
                       (session.taskIds.empty() ? "" : " on task " + session.taskIds.front()) +
                       ", committed by Maestro before merging.");
        git::MergeRequest request;
        request.repository = worktree.repository;
        request.base = detachedBase(worktree) ? "" : worktree.base;
        request.branch = worktree.branch;
        request.strategy = options.squash ? git::MergeStrategy::Squash : git::MergeStrategy::Merge;
        request.message = options.message.value_or(
            (options.squash ? "" : "Merge ") + title + "\n\nSession " + session.id + ", branch " +
            worktree.branch + (session.taskIds.empty() ? "" : ", task " + session.taskIds.front()) +
            ".");
        outcome = git::merge(git_, request);
    } catch (const git::GitError& e) {
        throw gitFailure(e, sessionId);
    }

    using Kind = git::MergeOutcome::Kind;
    if (outcome.kind == Kind::Conflict)
        throw ApiError(409, "merge_conflict",
                       "Session " + sessionId + "'s branch conflicts with " + worktree.base +
                           " in " + listed(outcome.files) + "; nothing was changed",
                       detailsJson([&](json::Writer& out) {
                           out.field("sessionId", sessionId)
                               .field("branch", worktree.branch)
                               .field("base", worktree.base);
                           writePaths(out, "files", outcome.files);
                       }));
    if (outcome.kind == Kind::CheckoutDirty)
        throw ApiError(409, "checkout_dirty",
                       "The checkout of " + worktree.base +
                           " has uncommitted changes to files the merge would change (" +
                           listed(outcome.files) + "); nothing was changed",
                       detailsJson([&](json::Writer& out) {
                           out.field("sessionId", sessionId)
                               .field("checkout", outcome.checkout.string())
                               .field("base", worktree.base);
                           writePaths(out, "files", outcome.files);
                           if (!outcome.detail.empty())
                               out.field("reason", json::sanitizeUtf8(outcome.detail));
                       }));

    worktree.state = WorktreeState::Merged;
    worktree.mergedCommit = outcome.commit;
    finish(sessionId, worktree);
    json::Writer out(2048);
    out.beginObject()
        .field("success", true)
        .field("sessionId", sessionId)
        .field("strategy", options.squash ? "squash" : "merge")
        .field("base", worktree.base)
        .field("branch", worktree.branch)
        .field("commit", outcome.commit)
        .field("upToDate", outcome.kind == Kind::UpToDate);
    writePaths(out, "files", outcome.files);
    out.key("session").raw(sessions_.get(sessionId)).endObject();
    return out.take();
}

std::string WorktreeService::discard(const std::string& sessionId, bool force) {
    auto session = sessions_.find(sessionId);
    requireActive(session);
    requireStopped(session, force);
    session = sessions_.find(sessionId);
    auto worktree = requireActive(session);
    {
        std::lock_guard repositoryGuard(repositoryLock(worktree.repository));
        worktree.state = WorktreeState::Discarded;
        finish(sessionId, worktree);
    }
    json::Writer out(2048);
    out.beginObject()
        .field("success", true)
        .field("sessionId", sessionId)
        .field("branch", worktree.branch)
        .key("session")
        .raw(sessions_.get(sessionId))
        .endObject();
    return out.take();
}

} // namespace maestro::host::worktree
