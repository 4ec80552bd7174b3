#include "http/Api.h"

#include "maestro_version.h"

namespace maestro::host::http {

namespace {

template <class H> Handler to(H& handlers, Response (H::*method)(Request&)) {
    return [&handlers, method](Request& request) { return (handlers.*method)(request); };
}

// Handlers that run on the HTTP loop (see LoopHandler in Router.h): one that always answers
// at once, and one that answers when what it needs is in memory.
template <class H> LoopHandler always(H& handlers, Response (H::*method)(Request&)) {
    return [&handlers, method](Request& request) -> std::optional<Response> {
        return (handlers.*method)(request);
    };
}
template <class H>
LoopHandler fromMemory(H& handlers, std::optional<Response> (H::*method)(Request&)) {
    return [&handlers, method](Request& request) { return (handlers.*method)(request); };
}

constexpr auto kReserved = Idempotency::Reserved; // effects beyond the database: see Router.h

} // namespace

Api::Api(service::Services& services, service::NodeService& nodes, spawn::Spawner& spawner,
         cluster::Routing& routing, const cluster::PeerClient& peers,
         worktree::WorktreeService& worktrees, skillhost::SkillRegistry& skills,
         SkillHandlers::Announce announceSkills)
    : projects_(services.projects), tasks_(services.tasks), subtasks_(services.tasks),
      briefs_(spawner.briefs()), overview_(services.status, services.eventLog, nodes),
      sessions_(services.sessions, spawner, routing, peers), queues_(services.queues),
      attention_(services.attention), skills_(skills, std::move(announceSkills)),
      worktrees_(worktrees, services.projects, routing, peers),
      mcp_({services, spawner, routing, peers}, kVersion), mcpHandlers_(mcp_) {
    auto& r = router_;
    r.add("GET", "/health", to(overview_, &OverviewHandlers::health),
          always(overview_, &OverviewHandlers::health));
    r.add("GET", "/api/health", to(overview_, &OverviewHandlers::health),
          always(overview_, &OverviewHandlers::health));
    r.add("GET", "/api/status", to(overview_, &OverviewHandlers::status));
    r.add("GET", "/api/events", to(overview_, &OverviewHandlers::events));
    r.add("GET", "/api/nodes", to(overview_, &OverviewHandlers::nodes));

    r.add("GET", "/api/projects", to(projects_, &ProjectHandlers::list));
    r.add("POST", "/api/projects", to(projects_, &ProjectHandlers::create));
    r.add("GET", "/api/projects/:id", to(projects_, &ProjectHandlers::get));
    r.add("PUT", "/api/projects/:id", to(projects_, &ProjectHandlers::update));
    r.add("PATCH", "/api/projects/:id", to(projects_, &ProjectHandlers::update));
    r.add("DELETE", "/api/projects/:id", to(projects_, &ProjectHandlers::remove));
    r.add("GET", "/api/projects/:id/overlaps", to(worktrees_, &WorktreeHandlers::overlaps));

    r.add("GET", "/api/tasks", to(tasks_, &TaskHandlers::list));
    r.add("POST", "/api/tasks", to(tasks_, &TaskHandlers::create));
    r.add("GET", "/api/tasks/:id", to(tasks_, &TaskHandlers::get),
          fromMemory(tasks_, &TaskHandlers::getCached));
    r.add("PATCH", "/api/tasks/:id", to(tasks_, &TaskHandlers::update));
    r.add("DELETE", "/api/tasks/:id", to(tasks_, &TaskHandlers::remove));
    r.add("GET", "/api/tasks/:id/children", to(tasks_, &TaskHandlers::children));
    r.add("GET", "/api/tasks/:id/timeline", to(tasks_, &TaskHandlers::timeline));
    r.add("POST", "/api/tasks/:id/timeline", to(tasks_, &TaskHandlers::addTimeline));
    r.add("GET", "/api/tasks/:id/brief", to(briefs_, &BriefHandlers::get));

    r.add("GET", "/api/tasks/:id/subtasks", to(subtasks_, &SubtaskHandlers::list));
    r.add("POST", "/api/tasks/:id/subtasks", to(subtasks_, &SubtaskHandlers::create));
    r.add("POST", "/api/tasks/:id/subtasks/reorder", to(subtasks_, &SubtaskHandlers::reorder));
    r.add("GET", "/api/tasks/:id/subtasks/:subId", to(subtasks_, &SubtaskHandlers::get));
    r.add("PATCH", "/api/tasks/:id/subtasks/:subId", to(subtasks_, &SubtaskHandlers::update));
    r.add("DELETE", "/api/tasks/:id/subtasks/:subId", to(subtasks_, &SubtaskHandlers::remove));

    r.add("GET", "/api/sessions", to(sessions_, &SessionHandlers::list));
    r.add("POST", "/api/sessions", to(sessions_, &SessionHandlers::create));
    r.add("POST", "/api/sessions/spawn", to(sessions_, &SessionHandlers::spawn), kReserved);
    r.add("GET", "/api/sessions/:id", to(sessions_, &SessionHandlers::get));
    r.add("PATCH", "/api/sessions/:id", to(sessions_, &SessionHandlers::update));
    r.add("DELETE", "/api/sessions/:id", to(sessions_, &SessionHandlers::remove));
    r.add("POST", "/api/sessions/:id/timeline", to(sessions_, &SessionHandlers::addTimeline));
    r.add("POST", "/api/sessions/:id/events", to(sessions_, &SessionHandlers::addEvent));
    r.add("POST", "/api/sessions/:id/stop", to(sessions_, &SessionHandlers::stop), kReserved);
    r.add("POST", "/api/sessions/:id/input", to(sessions_, &SessionHandlers::input), kReserved);
    r.add("POST", "/api/sessions/:id/resize", to(sessions_, &SessionHandlers::resize), kReserved);
    r.add("GET", "/api/sessions/:id/output", to(sessions_, &SessionHandlers::output));
    r.add("POST", "/api/sessions/:id/claim", to(sessions_, &SessionHandlers::claim), kReserved);
    r.add("GET", "/api/sessions/:id/screen", to(sessions_, &SessionHandlers::screen));
    r.add("POST", "/api/sessions/:id/activity", to(sessions_, &SessionHandlers::activity),
          kReserved);
    r.add("GET", "/api/sessions/:id/changes", to(worktrees_, &WorktreeHandlers::changes));
    r.add("GET", "/api/sessions/:id/diff", to(worktrees_, &WorktreeHandlers::diff));
    r.add("POST", "/api/sessions/:id/merge", to(worktrees_, &WorktreeHandlers::merge), kReserved);
    r.add("POST", "/api/sessions/:id/discard", to(worktrees_, &WorktreeHandlers::discard),
          kReserved);

    r.add("GET", "/api/sessions/:id/queue", to(queues_, &QueueHandlers::state));
    r.add("GET", "/api/sessions/:id/queue/top", to(queues_, &QueueHandlers::top));
    r.add("GET", "/api/sessions/:id/queue/items", to(queues_, &QueueHandlers::items));
    r.add("POST", "/api/sessions/:id/queue/start", to(queues_, &QueueHandlers::start));
    r.add("POST", "/api/sessions/:id/queue/complete", to(queues_, &QueueHandlers::complete));
    r.add("POST", "/api/sessions/:id/queue/fail", to(queues_, &QueueHandlers::fail));
    r.add("POST", "/api/sessions/:id/queue/skip", to(queues_, &QueueHandlers::skip));
    r.add("POST", "/api/sessions/:id/queue/push", to(queues_, &QueueHandlers::push));

    r.add("GET", "/api/attention", to(attention_, &AttentionHandlers::list));
    r.add("POST", "/api/attention/dismiss", to(attention_, &AttentionHandlers::dismiss));

    r.add("GET", "/api/agents", to(sessions_, &SessionHandlers::agents));

    // The Model Context Protocol (Streamable HTTP): agents use Maestro as a tool server.
    r.add("POST", "/mcp", to(mcpHandlers_, &McpHandlers::post), kReserved);
    r.add("DELETE", "/mcp", to(mcpHandlers_, &McpHandlers::remove));

    r.add("GET", "/api/skills", to(skills_, &SkillHandlers::list));
    r.add("POST", "/api/skills/rescan", to(skills_, &SkillHandlers::rescan), kReserved);
    r.add("GET", "/api/skills/role/:role", to(skills_, &SkillHandlers::forRole));
    r.add("GET", "/api/skills/:id", to(skills_, &SkillHandlers::get));
    r.add("POST", "/api/skills/:id/reload", to(skills_, &SkillHandlers::reload), kReserved);
}

} // namespace maestro::host::http
