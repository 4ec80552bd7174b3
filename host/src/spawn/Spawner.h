#pragma once

#include "activity/ActivityMonitor.h"
#include "domain/Session.h"
#include "service/Services.h"
#include "skillhost/SkillRegistry.h"
#include "spawn/AgentProfiles.h"
#include "spawn/AgentVersions.h"
#include "spawn/Briefs.h"
#include "spawn/Supervisor.h"
#include "worktree/WorktreeService.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace maestro::host::spawn {

// Who starts a spawned session's process: the server itself (in a pseudo-terminal it
// supervises), or a UI client that opens its own terminal and claims the session.
enum class SpawnerMode { Server, Client };

struct SpawnerConfig {
    std::string apiUrl; // what sessions are told to call (MAESTRO_API_URL)
    std::string nodeId; // this server among the nodes: its sessions' nodeId
    bool sqlite = true; // the database is this server's alone (else nodes share PostgreSQL)
    std::optional<std::string> token;    // the server's bearer token, if it requires one
    std::filesystem::path home;          // the Maestro home, passed on as MAESTRO_HOME
    std::string skillsPath;              // the server's MAESTRO_SKILLS_PATH, passed on
    std::filesystem::path sessionsDir;   // <home>/sessions
    std::filesystem::path holderProgram; // maestro-session
    std::filesystem::path cliPath;       // maestro, for agent hooks (empty: on the PATH)
    std::filesystem::path defaultCwd;    // for projects without a workingDir
    SpawnerMode mode = SpawnerMode::Server;
    // Keep each session's screen and judge its activity (off: only what agents report).
    bool watchActivity = true;
    AgentProfiles profiles;
    std::chrono::milliseconds stopGrace{3000};     // SIGTERM → SIGKILL
    std::chrono::milliseconds claimTimeout{60000}; // client mode: unclaimed → failed
};

// POST /api/sessions/spawn and the life of a spawned session (docs/sessions.md):
//  1. validate project, tasks, role, agent, parent session and working directory;
//     then isolate: a git worktree and branch of its own, when the project or the request
//     wants one (worktree/WorktreeService.h) — before the hooks, so they see its directory;
//  2. render the brief from the skills' templates (maestro-cli's, then the role's; Briefs.h);
//  3. build the plan — the agent profile's command and args, the project's directory and the
//     MAESTRO_* environment;
//  4. run the role's spawn hooks in their order; a veto refuses the spawn;
//  5. store the session with its plan, write sessions/<id>/brief.md, announce
//     session:spawn_request, and start the process (or, in client mode, wait for a claim);
//  6. on exit: completed (0), failed (non-zero, or its holder lost), stopped (by request);
//     session:exited.
// Steps 1–4 store nothing: a refused spawn leaves no trace but its error (its worktree, if one
// was made, is removed again). Sessions outlive the server: recover() takes up those a previous
// server left running, and their worktrees stay theirs.
class Spawner {
public:
    // onOutput receives every chunk of terminal output (the WebSocket hub streams it).
    Spawner(service::Services& services, skillhost::SkillRegistry& skills,
            worktree::WorktreeService& worktrees, SpawnerConfig config,
            Supervisor::OutputCallback onOutput);
    ~Spawner();
    Spawner(const Spawner&) = delete;
    Spawner& operator=(const Spawner&) = delete;

    // Returns {"success":true,"sessionId","briefFile","session":{…}}.
    std::string spawn(const domain::SpawnRequest& request);
    // Stops the session's process and waits (up to the grace period and a little) for it to
    // end; returns the session.
    std::string stop(const std::string& sessionId);
    // Client mode: a client has started the session's terminal itself.
    std::string claim(const std::string& sessionId, std::optional<std::int64_t> pid);
    void input(const std::string& sessionId, std::string_view data);
    void resize(const std::string& sessionId, int cols, int rows);
    // {"sessionId","start","end","data"}: the output from `since`, at most maxBytes.
    std::string output(const std::string& sessionId, std::uint64_t since, std::size_t maxBytes);
    // {"sessionId","rows","cols","cursor":{"row","col"},"lines":[…]}: what the session's terminal
    // shows, as plain text. A session no longer running here is shown from the end of its
    // output.log.
    std::string screen(const std::string& sessionId);
    // The agent's own word on what it is doing (maestro report, its hooks); returns the
    // session's activity as session:activity announces it.
    std::string reportActivity(const std::string& sessionId, domain::Activity activity,
                               std::string reason, domain::ActivitySource source);
    // Deletes a session record; a session whose process still runs must be stopped first.
    void remove(const std::string& sessionId, service::IfMatch ifMatch);

    Supervisor& supervisor() noexcept { return supervisor_; }
    const Briefs& briefs() const noexcept { return briefs_; }
    const AgentProfiles& profiles() const noexcept { return config_.profiles; }
    // The profile's executable's version (`--version`), asked once and remembered.
    std::optional<std::string> agentVersion(const AgentProfile& profile);
    // At start-up: re-attaches to the holder of every live session a previous server started
    // (an agent that ended meanwhile is recorded with its exit code and end time; one whose
    // holder is gone fails), and waits again for claims of unclaimed client-mode sessions.
    // With nodes sharing PostgreSQL, only this node's sessions — and those of this home's
    // server under another id (a default id names the port) — and also those another node
    // marked lost while this one was away: running again when their holders are.
    void recover();
    // This node's sessions another node marked lost (while this one could not heartbeat)
    // whose holders this server still holds: running again. Called after each heartbeat.
    void reclaimLost();
    // Stops every running session (server shutdown with stopSessionsOnShutdown).
    void stopAll();

private:
    void onExit(const ProcessExit& exit);
    // The end of the session's output.log (from a line start), to rebuild a screen from.
    std::string outputTail(const std::string& sessionId);
    const activity::ActivityRules& rulesOf(const std::string& agent) const;
    void awaitClaim(const std::string& sessionId);
    void expireUnclaimed();
    bool isMine(const domain::Session& session) const;

    service::Services& services_;
    skillhost::SkillRegistry& skills_;
    worktree::WorktreeService& worktrees_;
    SpawnerConfig config_;
    Briefs briefs_;
    AgentVersions versions_;
    activity::ActivityMonitor monitor_; // before supervisor_, which feeds it until destroyed
    Supervisor supervisor_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::chrono::steady_clock::time_point> unclaimed_; // client mode
    std::set<std::string> awaitingExit_; // sessions stop() waits on; onExit takes them out
    bool stopping_ = false;
    std::thread claimTimer_;
};

} // namespace maestro::host::spawn
