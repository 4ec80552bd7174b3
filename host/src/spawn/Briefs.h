#pragma once

#include "domain/Project.h"
#include "domain/Session.h"
#include "service/Services.h"
#include "skillhost/SkillRegistry.h"

#include <optional>
#include <string>
#include <vector>

namespace maestro::host::spawn {

// The one builder of a session's brief: the template context (docs/skills.md, "Template
// context") and the text the role's skills render from it. The spawner writes it to the
// session's brief.md; GET /api/tasks/:id/brief serves the same, which `maestro worker init`
// and `orchestrator init` print and `orchestrator plan` reads.
class Briefs {
public:
    Briefs(service::Services& services, skillhost::SkillRegistry& skills, std::string apiUrl)
        : services_(services), skills_(skills), apiUrl_(std::move(apiUrl)) {}

    // {role, session{id,name,parentSessionId,worktree}, project, task, tasks[], subtasks[],
    //  dependencies[], apiUrl, skills[], context} for the session's first task.
    std::string context(const domain::Session& session, const domain::Project& project,
                        const std::vector<std::string>& skillIds,
                        const std::optional<std::string>& requestContext) const;
    // The role's brief rendered from a context.
    std::string render(const std::string& role, const std::string& contextJson) const {
        return skills_.renderBrief(role, contextJson);
    }
    // GET /api/tasks/:id/brief?role=&sessionId=: {taskId, role, sessionId, context, brief} —
    // for a session, the brief it was (or would now be) spawned with: its skills, its worktree,
    // the context its spawn was given. 404 for an unknown task or session, 400 for a bad role.
    std::string forTask(const std::string& taskId, const std::string& role,
                        const std::optional<std::string>& sessionId) const;

private:
    service::Services& services_;
    skillhost::SkillRegistry& skills_;
    std::string apiUrl_;
};

} // namespace maestro::host::spawn
