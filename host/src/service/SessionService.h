#pragma once

#include "domain/Session.h"
#include "service/EventRecorder.h"
#include "service/Precondition.h"
#include "service/TaskService.h"
#include "store/Database.h"
#include "store/SessionRepository.h"

#include <functional>
#include <optional>
#include <string>

namespace maestro::host::service {

// Session records: the original API's CRUD, and the status changes the spawner makes as a
// session's process starts and ends. A session and the tasks it works on are linked both
// ways: the session lists taskIds, each task lists the session in sessionIds and notes
// session_started / session_ended in its timeline.
class SessionService {
public:
    SessionService(store::Database& db, EventRecorder& events, TaskService& tasks)
        : db_(db), events_(events), tasks_(tasks) {}

    store::JsonPage list(const store::SessionFilter& filter, store::Page page);
    std::string get(const std::string& id);
    domain::Session find(const std::string& id); // throws 404
    // POST /api/sessions: a session a client runs itself.
    std::string create(domain::SessionDraft draft);
    std::string update(const std::string& id, const domain::SessionPatch& patch, IfMatch ifMatch);
    void remove(const std::string& id, IfMatch ifMatch);

    // Checks that the project, tasks and parent session of a spawn exist and belong together;
    // returns the project id.
    std::string validateSpawn(const domain::SpawnRequest& request);
    // Stores a new spawning session with its plan and announces session:created and
    // session:spawn_request (payload: the session and its plan).
    std::string createSpawning(const domain::Session& session, const std::string& planJson);
    // The spawner's transitions; each writes the session and announces session:updated, and
    // an ending one also session:exited and session_ended on its tasks.
    void markRunning(const std::string& id, std::optional<std::int64_t> pid);
    void markEnded(const std::string& id, domain::SessionStatus status,
                   std::optional<std::int64_t> exitCode, const std::string& reason);
    // Changes the record of the session's worktree (worktree/WorktreeService.h) and announces
    // session:updated; a session without one is left alone. False when nothing changed.
    bool updateWorktree(const std::string& id,
                        const std::function<void(domain::Worktree&)>& change);
    // At start-up: sessions a previous server process left live can no longer be running
    // under it; they are marked failed, with the reason, instead of staying stuck.
    std::size_t failOrphans(const std::string& reason);

    // Every live session (spawning, running, idle or working).
    std::vector<domain::Session> liveSessions();
    // The live sessions of a project as a JSON array (for GET /api/status).
    std::string liveSessionsJson(const std::optional<std::string>& projectId);

private:
    void save(store::Transaction& tx, const domain::Session& session, bool created);
    void linkTasks(store::Transaction& tx, const domain::Session& session, const std::string& type,
                   const std::string& message);

    store::Database& db_;
    EventRecorder& events_;
    TaskService& tasks_;
};

} // namespace maestro::host::service
