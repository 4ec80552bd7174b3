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
    // POST /api/sessions/:id/timeline: an entry on the session's timeline; one that names a
    // task is noted on that task's timeline too. Returns the session.
    std::string addTimeline(const std::string& id, domain::TimelineDraft entry);
    // POST /api/sessions/:id/events. Returns the session.
    std::string addEvent(const std::string& id, domain::SessionEvent event);
    // Changes a session in one write transaction: `apply` changes it (and may write more in
    // the same transaction); the session is then saved and announced. Throws 404 for an unknown
    // id. Returns what apply returns.
    std::string
    change(const std::string& id,
           const std::function<std::string(store::Transaction&, domain::Session&)>& apply);

    // Checks that the project, tasks and parent session of a spawn exist and belong together;
    // returns the project id.
    std::string validateSpawn(const domain::SpawnRequest& request);
    // Stores a new spawning session with its plan and announces session:created and
    // session:spawn_request (payload: the session and its plan), and session:spawn with
    // clientSpawnJson when a client is to start it.
    std::string createSpawning(const domain::Session& session, const std::string& planJson,
                               const std::optional<std::string>& clientSpawnJson);
    // The spawner's transitions; each writes the session and announces session:updated, and
    // an ending one also session:exited and session_ended on its tasks. An end is recorded at
    // `endedAt` (Unix ms) when known — an agent may have ended while no server ran — else now.
    void markRunning(const std::string& id, std::optional<std::int64_t> pid);
    void markEnded(const std::string& id, domain::SessionStatus status,
                   std::optional<std::int64_t> exitCode, const std::string& reason,
                   std::optional<std::int64_t> endedAt = std::nullopt);
    // Records what a live session's agent is doing and announces session:activity; returns
    // false (and records nothing) when the session is not live or nothing changed.
    bool recordActivity(const std::string& id, const domain::ActivityState& state);
    // Changes the record of the session's worktree (worktree/WorktreeService.h) and announces
    // session:updated; a session without one is left alone. False when nothing changed.
    bool updateWorktree(const std::string& id,
                        const std::function<void(domain::Worktree&)>& change);
    // Every session spawning or running (for the spawner, at start-up).
    std::vector<domain::Session> live();
    // The sessions of a node in one status.
    std::vector<domain::Session> onNode(const std::string& nodeId, domain::SessionStatus status);

    // Nodes (docs/scale-out.md): marks the live sessions of every node but `self` whose last
    // heartbeat is older than `cutoff` lost, with the reason in metadata.lostReason, and
    // announces each (session:updated). Returns how many.
    std::size_t markLostOnSilentNodes(const std::string& self, std::int64_t cutoff);
    // The session runs on `nodeId` — its holder is there, alive: a lost session is running
    // again, and one recorded on another node (this home's server under another id) is
    // recorded on this one.
    void markFound(const std::string& id, const std::string& nodeId);

    // The live sessions of a project as a JSON array (for GET /api/status).
    std::string liveSessionsJson(const std::optional<std::string>& projectId);

private:
    // Stores the session and records its event; returns its JSON. A client's change is
    // Bounded: refused (413) when it would make the session larger than limits::kMaxStoredJson.
    // The server's own bookkeeping (status, exit) is always recorded.
    enum class Size { Bounded, Unbounded };
    std::string save(store::Transaction& tx, const domain::Session& session, bool created,
                     Size size = Size::Unbounded);
    // session:activity when the activity changed, attention:changed when the session's inbox
    // item did.
    void announceActivity(store::Transaction& tx, const domain::Session& before,
                          const domain::Session& session);
    void linkTasks(store::Transaction& tx, const domain::Session& session, const std::string& type,
                   const std::string& message);

    store::Database& db_;
    EventRecorder& events_;
    TaskService& tasks_;
};

} // namespace maestro::host::service
