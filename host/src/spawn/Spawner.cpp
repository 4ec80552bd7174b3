#include "spawn/Spawner.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "domain/Ids.h"
#include "domain/JsonInput.h"
#include "holder/SessionFolder.h"
#include "json/Utf8.h"
#include "json/Writer.h"
#include "spawn/AgentHooks.h"
#include "spawn/McpConfig.h"
#include "spawn/ShellQuote.h"

#include <Poco/Environment.h>
#include <Poco/Logger.h>
#include <algorithm>
#include <fstream>

extern char** environ;

namespace maestro::host::spawn {

using domain::ApiError;
using domain::SessionStatus;

namespace {

// Beside the holder's files in the session folder (holder/SessionFolder.h).
constexpr const char* kBriefFile = "brief.md";

Poco::Logger& logger() {
    return Poco::Logger::get("host.spawn");
}

// A terminal's size when the spawn does not say (and a rebuilt screen's).
constexpr int kCols = 120;
constexpr int kRows = 32;
// How much of output.log rebuilds a screen: enough for any full-screen redraw.
constexpr std::size_t kScreenHistory = 256 * 1024;

std::string screenJson(const std::string& sessionId, const activity::ScreenText& screen) {
    json::Writer out(static_cast<std::size_t>(screen.rows) * (screen.cols + 8) + 128);
    out.beginObject()
        .field("sessionId", sessionId)
        .field("rows", screen.rows)
        .field("cols", screen.cols)
        .key("cursor")
        .beginObject()
        .field("row", screen.cursorRow)
        .field("col", screen.cursorCol)
        .endObject()
        .key("lines")
        .beginArray();
    for (const auto& line : screen.lines)
        out.value(json::sanitizeUtf8(line));
    out.endArray().endObject();
    return out.take();
}

std::string join(const std::vector<std::string>& items, char separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

// The server's own environment, minus any MAESTRO_* it may have inherited (a server started
// from inside a session must not pass its session on).
std::map<std::string, std::string> baseEnvironment() {
    std::map<std::string, std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        std::string_view text = *entry;
        auto eq = text.find('=');
        if (eq == std::string_view::npos || text.starts_with("MAESTRO_")) continue;
        env.emplace(text.substr(0, eq), text.substr(eq + 1));
    }
    env["TERM"] = "xterm-256color";
    env["COLORTERM"] = "truecolor";
    return env;
}

// Who started the session's process: "server", "client", or "" for a session a client
// registered itself (POST /api/sessions).
std::string spawnerOf(const domain::Session& session) {
    try {
        return domain::JsonInput::parseObject(session.metadataJson)
            .optString("spawner")
            .value_or("");
    } catch (const std::exception&) {
        return {}; // metadata is the client's: whatever it holds is not ours
    }
}

// A worktree made for a spawn that is then refused (a hook vetoes, the brief cannot be
// written) is removed again, unless the spawn keeps it.
class WorktreeGuard {
public:
    WorktreeGuard(worktree::WorktreeService& worktrees, std::optional<domain::Worktree> worktree)
        : worktrees_(worktrees), worktree_(std::move(worktree)) {}
    ~WorktreeGuard() {
        if (worktree_) worktrees_.abandon(*worktree_);
    }
    WorktreeGuard(const WorktreeGuard&) = delete;
    WorktreeGuard& operator=(const WorktreeGuard&) = delete;
    void keep() noexcept { worktree_.reset(); }

private:
    worktree::WorktreeService& worktrees_;
    std::optional<domain::Worktree> worktree_;
};

// session:spawn, the original Maestro's request to a desktop client to open the terminal:
// {session, command, cwd, envVars, projectId, taskIds, spawnSource, parentSessionId}.
std::string clientSpawnJson(const domain::Session& session, const skillhost::SpawnPlan& plan,
                            const domain::SpawnRequest& request) {
    std::string command = shellQuoted(plan.command);
    for (const auto& arg : plan.args)
        command += " " + shellQuoted(arg);
    json::Writer out(2048 + command.size());
    out.beginObject()
        .key("session")
        .raw(domain::toJson(session))
        .field("command", command)
        .field("cwd", plan.cwd)
        .stringMap("envVars", plan.env)
        .field("projectId", session.projectId)
        .stringArray("taskIds", session.taskIds)
        .field("spawnSource", request.spawnSource)
        .field("parentSessionId", session.parentSessionId)
        .field("_isSpawnCreated", true)
        .endObject();
    return out.take();
}

} // namespace

Spawner::Spawner(service::Services& services, skillhost::SkillRegistry& skills,
                 worktree::WorktreeService& worktrees, SpawnerConfig config,
                 Supervisor::OutputCallback onOutput)
    : services_(services), skills_(skills), worktrees_(worktrees), config_(std::move(config)),
      briefs_(services, skills, config_.apiUrl),
      monitor_([this](const std::string& id, const domain::ActivityState& state) {
          services_.sessions.recordActivity(id, state);
      }),
      supervisor_(config_.sessionsDir, config_.holderProgram,
                  {[this, onOutput = std::move(onOutput)](const std::string& id,
                                                          std::uint64_t offset, std::string data) {
                       monitor_.output(id, data);
                       if (onOutput) onOutput(id, offset, std::move(data));
                   },
                   [this](const ProcessExit& exit) { onExit(exit); },
                   [this](const std::string& id) { monitor_.input(id); },
                   [this](const std::string& id, int cols, int rows) {
                       monitor_.resize(id, rows, cols);
                   }}) {}

Spawner::~Spawner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (claimTimer_.joinable()) claimTimer_.join();
}

void Spawner::stopAll() {
    supervisor_.stopAll(config_.stopGrace);
}

bool Spawner::isMine(const domain::Session& session) const {
    if (config_.sqlite || session.nodeId == config_.nodeId) return true;
    std::error_code ec;
    return std::filesystem::exists(config_.sessionsDir / session.id, ec);
}

void Spawner::recover() {
    auto started = std::chrono::steady_clock::now();
    std::size_t reattached = 0, ended = 0;
    auto sessions = services_.sessions.live();
    if (!config_.sqlite)
        for (auto& lost : services_.sessions.onNode(config_.nodeId, SessionStatus::Lost))
            sessions.push_back(std::move(lost));
    for (const auto& session : sessions) {
        if (!isMine(session)) continue;
        auto spawner = spawnerOf(session);
        if (spawner == "client" && session.status == SessionStatus::Spawning) {
            awaitClaim(session.id); // a full claim timeout from now
            continue;
        }
        // A client's terminal (claimed, or registered with POST /api/sessions) is not ours.
        if (spawner != "server" || session.command.empty()) continue;
        // The screen is rebuilt from the output so far before new output arrives.
        if (config_.watchActivity)
            monitor_.track(session.id, rulesOf(session.agent), kRows, kCols, session.activity,
                           outputTail(session.id));
        if (auto pid = supervisor_.reattach(session.id)) {
            ++reattached;
            if (session.status == SessionStatus::Spawning)
                services_.sessions.markRunning(
                    session.id, *pid > 0 ? std::optional<std::int64_t>(*pid) : std::nullopt);
            else if (session.status == SessionStatus::Lost || session.nodeId != config_.nodeId)
                services_.sessions.markFound(session.id, config_.nodeId);
        } else {
            monitor_.forget(session.id);
            ++ended;
        }
    }
    if (reattached + ended > 0)
        logger().information(
            "re-attached %z running sessions in %.1f ms; %z had ended meanwhile", reattached,
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count(),
            ended);
}

void Spawner::reclaimLost() {
    if (config_.sqlite) return;
    for (const auto& session : services_.sessions.onNode(config_.nodeId, SessionStatus::Lost))
        if (supervisor_.isRunning(session.id))
            services_.sessions.markFound(session.id, config_.nodeId);
}

std::string Spawner::spawn(const domain::SpawnRequest& request) {
    // 1. Validate.
    auto projectId = services_.sessions.validateSpawn(request);
    auto project = services_.projects.find(projectId);
    // The HTTP front forwards a spawn for another node there (cluster/Routing.h); whoever
    // else calls must not start it here.
    if (auto node = request.nodeId ? request.nodeId : project.nodeId;
        node && *node != config_.nodeId)
        throw ApiError::conflict("node_conflict",
                                 "This spawn is for node " + *node + ", not " + config_.nodeId);
    auto agentName = request.agent.empty() ? config_.profiles.defaultName() : request.agent;
    auto profile = config_.profiles.find(agentName);
    if (!profile)
        throw ApiError::badRequest(
            "unknown_agent", "No agent profile '" + agentName +
                                 "' (configured: " + join(config_.profiles.names(), ',') + ")");
    std::string cwd = project.workingDir.empty() ? config_.defaultCwd.string() : project.workingDir;
    std::error_code ec;
    if (!std::filesystem::is_directory(cwd, ec))
        throw ApiError::badRequest("invalid_working_dir",
                                   "The project's working directory does not exist: " + cwd);

    auto now = domain::nowMs();
    domain::Session session;
    session.id = domain::newId("sess");
    session.projectId = projectId;
    session.taskIds = request.taskIds;
    session.role = request.role;
    session.agent = agentName;
    session.parentSessionId = request.parentSessionId;
    session.strategy = request.strategy;
    if (session.strategy == "queue") session.queue = domain::Queue::of(session.taskIds, now);
    session.name = request.name.empty()
                       ? request.role + ": " + services_.tasks.find(request.taskIds.front()).title
                       : request.name;
    session.hostname = Poco::Environment::nodeName();
    session.platform = "linux";
    session.nodeId = config_.nodeId;
    session.startedAt = session.lastActivity = now;
    session.activity.since = now;
    session.timeline.push_back(
        {domain::newId("evt"), "created", "Session spawned", std::nullopt, now});

    // Isolation: a worktree of its own, made before the hooks run so they see its directory.
    auto placement =
        worktrees_.place(project, session.id, services_.tasks.find(request.taskIds.front()).title,
                         request.isolation);
    WorktreeGuard worktreeGuard(worktrees_, placement.worktree);
    if (placement.worktree) {
        session.worktree = placement.worktree;
        cwd = placement.cwd;
    }

    // 2. The brief.
    // The role's skills make the brief; skills the request names (the original API's
    // "skills") must exist and are listed for the session beside them.
    std::vector<std::string> skillIds;
    for (const auto& skill : skills_.forRole(session.role))
        skillIds.push_back(skill.id);
    for (const auto& requested : request.skills) {
        if (!skills_.get(requested))
            throw ApiError::badRequest("unknown_skill",
                                       "No skill '" + requested + "' is installed");
        if (std::find(skillIds.begin(), skillIds.end(), requested) == skillIds.end())
            skillIds.push_back(requested);
    }
    auto brief = briefs_.render(session.role,
                                briefs_.context(session, project, skillIds, request.contextJson));
    auto dir = config_.sessionsDir / session.id;
    auto briefFile = (dir / kBriefFile).string();
    auto mcpConfigFile = (dir / "mcp.json").string();
    auto hooksFile = (dir / "hooks.json").string();

    // 3. The plan.
    skillhost::SpawnPlan plan;
    plan.sessionId = session.id;
    plan.projectId = session.projectId;
    plan.taskIds = session.taskIds;
    plan.role = session.role;
    plan.agent = session.agent;
    plan.command = profile->command;
    plan.args = expandArgs(profile->args, {brief, briefFile, session.id, session.taskIds.front(),
                                           mcpConfigFile, hooksFile});
    plan.cwd = cwd;
    plan.env = profile->env;
    plan.env["MAESTRO_API_URL"] = config_.apiUrl;
    plan.env["MAESTRO_PROJECT_ID"] = projectId;
    plan.env["MAESTRO_SESSION_ID"] = session.id;
    plan.env["MAESTRO_TASK_ID"] = session.taskIds.front();
    plan.env["MAESTRO_TASK_IDS"] = join(session.taskIds, ',');
    plan.env["MAESTRO_ROLE"] = session.role;
    plan.env["MAESTRO_SKILLS"] = join(skillIds, ',');
    plan.env["MAESTRO_BRIEF_FILE"] = briefFile;
    plan.env["MAESTRO_MCP_CONFIG"] = mcpConfigFile;
    plan.env["MAESTRO_STRATEGY"] = session.strategy; // the original CLI's queue commands read it
    plan.env["MAESTRO_PARENT_SESSION_ID"] = session.parentSessionId.value_or("");
    // The CLI in the session finds the same skills the server has.
    plan.env["MAESTRO_HOME"] = config_.home.string();
    if (!config_.skillsPath.empty()) plan.env["MAESTRO_SKILLS_PATH"] = config_.skillsPath;
    plan.briefFile = briefFile;
    plan.cols = request.cols.value_or(kCols);
    plan.rows = request.rows.value_or(kRows);
    plan.spawner = config_.mode == SpawnerMode::Server ? "server" : "client";

    // 4. Spawn hooks: they change the plan in place.
    auto outcome = skills_.runSpawnHooks(session.role, plan);
    if (!outcome.allowed()) {
        json::Writer details;
        details.beginObject()
            .field("skillId", outcome.skillId)
            .field("hookId", outcome.hookId)
            .field("reason", outcome.reason)
            .endObject();
        throw ApiError(422,
                       outcome.verdict == skillhost::SpawnHookOutcome::Verdict::Vetoed
                           ? "spawn_vetoed"
                           : "spawn_hook_failed",
                       outcome.reason, details.take());
    }
    session.command = plan.command;
    session.args = plan.args;
    session.cwd = plan.cwd;
    session.env = plan.env;
    {
        json::Writer metadata;
        metadata.beginObject()
            .field("spawnSource", request.spawnSource)
            .field("spawnedBy", session.parentSessionId)
            .field("spawner", plan.spawner)
            .stringArray("skills", skillIds)
            .field("briefFile", briefFile)
            .field("isolation", session.worktree ? "worktree" : "none");
        if (!placement.note.empty()) metadata.field("worktreeNote", placement.note);
        metadata.key("context").raw(request.contextJson.value_or("{}")).endObject();
        session.metadataJson = metadata.take();
    }

    // 5. Store, announce, start.
    holder::createSessionFolder(dir);
    holder::writeSessionFile(dir, kBriefFile, brief);
    writeMcpConfig(dir, config_.apiUrl, session.id, config_.token);
    if (profile->hooks == "claude") writeClaudeHooks(dir, config_.cliPath);
    std::optional<std::string> clientSpawn;
    if (config_.mode == SpawnerMode::Client) clientSpawn = clientSpawnJson(session, plan, request);
    services_.sessions.createSpawning(session, skillhost::toJson(plan), clientSpawn);
    worktreeGuard.keep(); // the session's record owns it now

    if (config_.mode == SpawnerMode::Client) {
        awaitClaim(session.id);
    } else {
        LaunchOptions options;
        options.command = plan.command;
        options.args = plan.args;
        options.cwd = plan.cwd;
        options.env = baseEnvironment();
        for (const auto& [key, value] : plan.env)
            options.env[key] = value;
        options.cols = plan.cols;
        options.rows = plan.rows;
        if (config_.watchActivity)
            monitor_.track(session.id, profile->activity, options.rows, options.cols,
                           session.activity);
        try {
            auto pid = supervisor_.launch(session.id, options);
            services_.sessions.markRunning(session.id, pid);
        } catch (const SpawnFailure& failure) {
            monitor_.forget(session.id);
            services_.sessions.markEnded(session.id, SessionStatus::Failed, std::nullopt,
                                         failure.what());
            worktrees_.abandon(session.id); // nothing ran in it
            json::Writer details;
            details.beginObject()
                .field("sessionId", session.id)
                .field("reason", failure.what())
                .endObject();
            throw ApiError(422, "spawn_failed",
                           std::string("The session could not start: ") + failure.what(),
                           details.take());
        }
    }

    json::Writer response;
    response.beginObject()
        .field("success", true)
        .field("sessionId", session.id)
        .field("briefFile", briefFile)
        .key("session")
        .raw(services_.sessions.get(session.id))
        .endObject();
    return response.take();
}

void Spawner::onExit(const ProcessExit& exit) {
    monitor_.forget(exit.sessionId);
    SessionStatus status = !exit.failure.empty() ? SessionStatus::Failed
                           : exit.stopRequested  ? SessionStatus::Stopped
                           : exit.exitCode == 0  ? SessionStatus::Completed
                                                 : SessionStatus::Failed;
    std::string reason = exit.failure;
    if (reason.empty() && exit.signal && !exit.stopRequested)
        reason = "killed by signal " + std::to_string(exit.signal);
    try {
        services_.sessions.markEnded(exit.sessionId, status,
                                     exit.exitCode ? std::optional<std::int64_t>(*exit.exitCode)
                                                   : std::nullopt,
                                     reason, exit.endedAtMs);
    } catch (const std::exception& e) {
        logger().error("session %s: cannot record its exit: %s", exit.sessionId,
                       std::string(e.what()));
    }
    {
        std::lock_guard lock(mutex_);
        awaitingExit_.erase(exit.sessionId);
    }
    changed_.notify_all();
}

std::string Spawner::stop(const std::string& sessionId) {
    auto session = services_.sessions.find(sessionId);
    if (!session.nodeId.empty() && session.nodeId != config_.nodeId &&
        spawnerOf(session) == "server")
        throw ApiError::conflict("session_on_another_node", "Session " + sessionId +
                                                                " runs on node " + session.nodeId +
                                                                "; stop it there");
    {
        std::lock_guard lock(mutex_);
        awaitingExit_.insert(sessionId);
    }
    if (supervisor_.stop(sessionId, config_.stopGrace)) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, config_.stopGrace + std::chrono::seconds(2),
                          [&] { return awaitingExit_.count(sessionId) == 0; });
        awaitingExit_.erase(sessionId);
    } else if (domain::isLive(session.status)) {
        {
            std::lock_guard lock(mutex_);
            awaitingExit_.erase(sessionId);
        }
        // Not a process of ours (a client runs it, or it never started): record the stop;
        // the client closes its terminal when it sees the session stopped.
        {
            std::lock_guard lock(mutex_);
            unclaimed_.erase(sessionId);
        }
        services_.sessions.markEnded(sessionId, SessionStatus::Stopped, std::nullopt, "");
    } else {
        std::lock_guard lock(mutex_);
        awaitingExit_.erase(sessionId);
        throw ApiError::conflict("session_not_running",
                                 "Session " + sessionId + " is already " +
                                     std::string(domain::toString(session.status)));
    }
    return services_.sessions.get(sessionId);
}

std::string Spawner::claim(const std::string& sessionId, std::optional<std::int64_t> pid) {
    auto session = services_.sessions.find(sessionId);
    bool waiting;
    {
        std::lock_guard lock(mutex_);
        waiting = unclaimed_.erase(sessionId) > 0;
    }
    if (!waiting || session.status != SessionStatus::Spawning)
        throw ApiError::conflict("session_not_claimable",
                                 "Session " + sessionId +
                                     " is not waiting for a client to start it");
    services_.sessions.markRunning(sessionId, pid);
    return services_.sessions.get(sessionId);
}

void Spawner::awaitClaim(const std::string& sessionId) {
    std::lock_guard lock(mutex_);
    unclaimed_[sessionId] = std::chrono::steady_clock::now() + config_.claimTimeout;
    if (!claimTimer_.joinable()) claimTimer_ = std::thread([this] { expireUnclaimed(); });
}

void Spawner::expireUnclaimed() {
    std::unique_lock lock(mutex_);
    while (!changed_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; })) {
        auto now = std::chrono::steady_clock::now();
        std::vector<std::string> expired;
        for (auto it = unclaimed_.begin(); it != unclaimed_.end();) {
            if (it->second <= now) {
                expired.push_back(it->first);
                it = unclaimed_.erase(it);
            } else {
                ++it;
            }
        }
        if (expired.empty()) continue;
        lock.unlock();
        for (const auto& id : expired) {
            try {
                services_.sessions.markEnded(id, SessionStatus::Failed, std::nullopt,
                                             "no client claimed the session in time");
            } catch (const std::exception& e) {
                logger().error("session %s: %s", id, std::string(e.what()));
            }
        }
        lock.lock();
    }
}

void Spawner::input(const std::string& sessionId, std::string_view data) {
    services_.sessions.find(sessionId);
    if (!supervisor_.input(sessionId, data))
        throw ApiError::conflict("session_not_running",
                                 "Session " + sessionId + " has no running terminal here");
}

void Spawner::resize(const std::string& sessionId, int cols, int rows) {
    services_.sessions.find(sessionId);
    if (!supervisor_.resize(sessionId, cols, rows))
        throw ApiError::conflict("session_not_running",
                                 "Session " + sessionId + " has no running terminal here");
}

std::string Spawner::output(const std::string& sessionId, std::uint64_t since,
                            std::size_t maxBytes) {
    services_.sessions.find(sessionId);
    auto slice = supervisor_.output(sessionId, since, maxBytes).value_or(Supervisor::Slice{});
    json::Writer out(slice.data.size() + 128);
    out.beginObject()
        .field("sessionId", sessionId)
        .field("start", static_cast<std::int64_t>(slice.start))
        .field("end", static_cast<std::int64_t>(slice.end))
        .field("data", json::sanitizeUtf8(slice.data))
        .endObject();
    return out.take();
}

std::optional<std::string> Spawner::agentVersion(const AgentProfile& profile) {
    auto executable = executableOf(profile);
    if (executable.empty()) return std::nullopt;
    return versions_.of(executable);
}

const activity::ActivityRules& Spawner::rulesOf(const std::string& agent) const {
    static const activity::ActivityRules kDefaults;
    auto profile = config_.profiles.rules(agent);
    return profile ? *profile : kDefaults;
}

std::string Spawner::outputTail(const std::string& sessionId) {
    std::error_code ec;
    auto size =
        std::filesystem::file_size(config_.sessionsDir / sessionId / holder::kOutputFile, ec);
    if (ec) return {};
    auto from = size > kScreenHistory ? size - kScreenHistory : 0;
    auto slice = supervisor_.output(sessionId, from, kScreenHistory);
    if (!slice) return {};
    // Cut into the middle of the output, start where a line does rather than inside an escape
    // sequence.
    if (slice->start > 0) {
        auto newline = slice->data.find('\n');
        slice->data.erase(0, newline == std::string::npos ? slice->data.size() : newline + 1);
    }
    return std::move(slice->data);
}

std::string Spawner::screen(const std::string& sessionId) {
    services_.sessions.find(sessionId);
    if (auto text = monitor_.screen(sessionId)) return screenJson(sessionId, *text);
    std::error_code ec;
    if (!std::filesystem::exists(config_.sessionsDir / sessionId / holder::kOutputFile, ec))
        throw ApiError::conflict("no_terminal",
                                 "Session " + sessionId + " has no terminal on this server");
    activity::Screen screen(kRows, kCols);
    screen.feed(outputTail(sessionId));
    return screenJson(sessionId, screen.text());
}

std::string Spawner::reportActivity(const std::string& sessionId, domain::Activity activity,
                                    std::string reason, domain::ActivitySource source) {
    auto session = services_.sessions.find(sessionId);
    if (!domain::isLive(session.status))
        throw ApiError::conflict("session_not_running",
                                 "Session " + sessionId + " is already " +
                                     std::string(domain::toString(session.status)));
    // A session whose terminal a client runs is not watched here: its word is recorded as is.
    if (!monitor_.report(sessionId, activity, reason, source)) {
        auto since =
            session.activity.activity == activity ? session.activity.since : domain::nowMs();
        services_.sessions.recordActivity(sessionId, {activity, since, std::move(reason), source});
    }
    return domain::activityJson(services_.sessions.find(sessionId));
}

void Spawner::remove(const std::string& sessionId, service::IfMatch ifMatch) {
    if (supervisor_.isRunning(sessionId))
        throw ApiError::conflict("session_running",
                                 "Session " + sessionId + " is still running; stop it first");
    services_.sessions.remove(sessionId, ifMatch);
}

} // namespace maestro::host::spawn
