#pragma once

#include "domain/Activity.h"
#include "domain/Queue.h"
#include "domain/Task.h"
#include "domain/Worktree.h"
#include "json/Writer.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::domain {

class JsonInput;

// Lost: its node stopped heartbeating (docs/scale-out.md); its holder may still run it, and
// it is running again when that node comes back with it alive.
enum class SessionStatus { Spawning, Running, Idle, Working, Completed, Failed, Stopped, Lost };
// Every value: with toString, the one definition of the wire names.
inline constexpr SessionStatus kAllSessionStatuses[] = {
    SessionStatus::Spawning, SessionStatus::Running,   SessionStatus::Idle,
    SessionStatus::Working,  SessionStatus::Completed, SessionStatus::Failed,
    SessionStatus::Stopped,  SessionStatus::Lost};

std::string_view toString(SessionStatus status) noexcept;
std::optional<SessionStatus> parseSessionStatus(std::string_view text) noexcept;
// Spawning, running, idle and working: the session has (or is about to have) a live process.
bool isLive(SessionStatus status) noexcept;
// Completed, failed or stopped: the session's process has ended for good.
bool isEnded(SessionStatus status) noexcept;

inline constexpr std::string_view kRoles[] = {"worker", "orchestrator"};
bool isValidRole(std::string_view role) noexcept;

// Something a session's agent reported that is not a timeline message, e.g. a file it
// modified ({"type":"file_modified","data":{"file":…}}); the original API's session events.
struct SessionEvent {
    std::string id;
    std::int64_t timestamp = 0;
    std::string type;
    std::string dataJson = "null"; // any JSON value, kept as given
};

// An agent session: a process in a pseudo-terminal working on some tasks.
struct Session {
    std::string id;
    std::string projectId;
    std::vector<std::string> taskIds;
    std::string name;
    std::string role = "worker";
    SessionStatus status = SessionStatus::Spawning;
    std::string agent; // the agent profile it runs
    std::string command;
    std::vector<std::string> args;
    std::string cwd;
    std::map<std::string, std::string> env; // what Maestro set on top of the server's own
    std::optional<std::int64_t> pid;
    std::optional<std::int64_t> exitCode;
    std::int64_t startedAt = 0;
    std::int64_t lastActivity = 0;
    std::optional<std::int64_t> completedAt;
    std::string hostname;
    std::string platform;
    // The node whose holder runs the session's process (docs/scale-out.md); empty for a
    // session a client registered itself.
    std::string nodeId;
    std::optional<std::string> parentSessionId;
    std::string metadataJson = "{}";  // free-form object (spawnSource, spawner, failureReason, …)
    std::optional<Worktree> worktree; // its own git worktree and branch, when isolated
    std::vector<TimelineEntry> timeline;
    // Not versioned: the server observes it, no client edits it.
    ActivityState activity;
    std::vector<SessionEvent> events;
    // How the session works through its tasks: "simple", "queue" (one at a time, through
    // queue), or "tree" — the original Maestro's worker strategies.
    std::string strategy = "simple";
    std::optional<Queue> queue; // with strategy "queue"
    std::int64_t version = 1;
};

// POST /api/sessions: a session a client registers itself (the original API).
struct SessionDraft {
    std::optional<std::string> id;
    std::string projectId;
    std::vector<std::string> taskIds;
    std::string name;
    std::string role = "worker";
    SessionStatus status = SessionStatus::Running;
    std::string agent;
    std::map<std::string, std::string> env;
    std::optional<std::string> parentSessionId;
    std::string metadataJson = "{}";
    std::string strategy = "simple";
};

// PATCH /api/sessions/:id.
struct SessionPatch {
    std::optional<std::vector<std::string>> taskIds;
    std::optional<SessionStatus> status;
    std::optional<std::string> name;
    std::optional<std::string> metadataJson;
    std::vector<TimelineDraft> timeline; // "events" in the original API
};

// POST /api/sessions/spawn.
struct SpawnRequest {
    std::optional<std::string> projectId; // defaults to the tasks' project
    std::vector<std::string> taskIds;
    std::string role = "worker";
    std::string agent; // empty: the configured default ("claude")
    std::string name;
    std::optional<std::string> parentSessionId;
    std::optional<int> cols, rows; // initial terminal size
    // Who asks: "api" (this server's clients), or the original clients' "ui" and "session"; a
    // session-sourced spawn must name its parent ("sessionId" in the original API).
    std::string spawnSource = "api";
    std::vector<std::string> skills;        // the skills whose templates make the brief
    std::optional<std::string> contextJson; // free-form object, kept and given to templates
    std::string strategy = "simple";
    std::optional<Isolation> isolation; // overrides the project's
    // The node to run it on; unset: the project's node, else the node that takes the request.
    std::optional<std::string> nodeId;
};

SessionDraft parseSessionDraft(const JsonInput& body);
SessionPatch parseSessionPatch(const JsonInput& body);
// POST /api/sessions/:id/events: {type, data?}.
SessionEvent parseSessionEvent(const JsonInput& body);
SpawnRequest parseSpawnRequest(const JsonInput& body);

Session makeSession(SessionDraft draft, std::int64_t now);
// Applies a client's patch; returns false when nothing changed.
bool applyPatch(Session& session, const SessionPatch& patch, std::int64_t now);
// Records a status change (and its timeline entry); returns false when already in it. A session
// that ends is `exited`, with the change's message as the reason.
bool changeStatus(Session& session, SessionStatus status, std::int64_t now, std::string message);
// Appends to the session's timeline (or events) and notes the activity.
void addTimeline(Session& session, TimelineDraft entry, std::int64_t now);
void addEvent(Session& session, SessionEvent event, std::int64_t now);

void writeJson(json::Writer& out, const Session& session);
std::string toJson(const Session& session);
// The payload of session:activity: {sessionId, projectId, activity, since, reason, source}.
std::string activityJson(const Session& session);
Session sessionFromJson(std::string_view json);

} // namespace maestro::domain
