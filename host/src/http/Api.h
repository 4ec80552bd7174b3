#pragma once

#include "http/AttentionHandlers.h"
#include "http/BriefHandlers.h"
#include "http/McpHandlers.h"
#include "http/OverviewHandlers.h"
#include "http/ProjectHandlers.h"
#include "http/QueueHandlers.h"
#include "http/Router.h"
#include "http/SessionHandlers.h"
#include "http/SkillHandlers.h"
#include "http/TaskHandlers.h"
#include "http/WorktreeHandlers.h"
#include "service/Services.h"

namespace maestro::host::http {

// The HTTP API: every route and the handler behind it (see Api.cpp for the table).
class Api {
public:
    Api(service::Services& services, service::NodeService& nodes, spawn::Spawner& spawner,
        cluster::Routing& routing, const cluster::PeerClient& peers,
        worktree::WorktreeService& worktrees, skillhost::SkillRegistry& skills,
        SkillHandlers::Announce announceSkills);
    const Router& router() const noexcept { return router_; }

private:
    ProjectHandlers projects_;
    TaskHandlers tasks_;
    SubtaskHandlers subtasks_;
    BriefHandlers briefs_;
    OverviewHandlers overview_;
    SessionHandlers sessions_;
    QueueHandlers queues_;
    AttentionHandlers attention_;
    SkillHandlers skills_;
    WorktreeHandlers worktrees_;
    mcp::McpServer mcp_;
    McpHandlers mcpHandlers_;
    Router router_;
};

} // namespace maestro::host::http
