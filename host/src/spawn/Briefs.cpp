#include "spawn/Briefs.h"

#include "domain/ApiError.h"
#include "domain/JsonInput.h"
#include "json/Writer.h"

#include <algorithm>

namespace maestro::host::spawn {

using domain::ApiError;

namespace {

// What a session's spawn recorded in its metadata: the skills it was given and the spawn's
// context. Metadata is also a client's (POST /api/sessions), so anything else is ignored.
struct SpawnRecord {
    std::optional<std::vector<std::string>> skills;
    std::optional<std::string> context;
};

SpawnRecord spawnRecordOf(const domain::Session& session) {
    try {
        auto metadata = domain::JsonInput::parseObject(session.metadataJson);
        return {metadata.optStringArray("skills"), metadata.optObjectText("context")};
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace

std::string Briefs::context(const domain::Session& session, const domain::Project& project,
                            const std::vector<std::string>& skillIds,
                            const std::optional<std::string>& requestContext) const {
    auto& tasks = services_.tasks;
    const auto& taskId = session.taskIds.front();
    auto task = tasks.find(taskId);
    json::Writer out(8192);
    out.beginObject().field("role", session.role);
    out.key("session")
        .beginObject()
        .field("id", session.id)
        .field("name", session.name)
        .field("parentSessionId", session.parentSessionId)
        .key("worktree");
    if (session.worktree)
        domain::writeJson(out, *session.worktree);
    else
        out.null();
    out.endObject();
    out.key("project").raw(domain::toJson(project));
    out.key("task").raw(tasks.get(taskId));
    out.key("tasks").beginArray();
    for (const auto& id : session.taskIds)
        out.raw(tasks.get(id));
    out.endArray();
    out.key("subtasks").beginArray();
    for (const auto& subtask : tasks.listSubtasks(taskId, {}).items)
        out.raw(subtask);
    out.endArray();
    out.key("dependencies").beginArray();
    for (const auto& dependency : task.dependencies) {
        try {
            out.raw(tasks.get(dependency));
        } catch (const ApiError&) {
            // A dependency deleted meanwhile is simply not shown.
        }
    }
    out.endArray();
    out.field("apiUrl", apiUrl_).stringArray("skills", skillIds);
    out.key("context").raw(requestContext.value_or("{}"));
    out.endObject();
    return out.take();
}

std::string Briefs::forTask(const std::string& taskId, const std::string& role,
                            const std::optional<std::string>& sessionId) const {
    if (!domain::isValidRole(role))
        throw ApiError::badRequest("invalid_query",
                                   "role must be worker or orchestrator (got '" + role + "')");
    auto task = services_.tasks.find(taskId);
    domain::Session session;
    SpawnRecord record;
    if (sessionId) {
        session = services_.sessions.find(*sessionId);
        record = spawnRecordOf(session);
    }
    session.role = role;
    // The brief is about this task; the session's other tasks follow it.
    std::erase(session.taskIds, taskId);
    session.taskIds.insert(session.taskIds.begin(), taskId);

    std::vector<std::string> skillIds;
    if (record.skills) {
        skillIds = *record.skills;
    } else {
        for (const auto& skill : skills_.forRole(role))
            skillIds.push_back(skill.id);
    }
    auto contextJson =
        context(session, services_.projects.find(task.projectId), skillIds, record.context);
    auto brief = render(role, contextJson);
    json::Writer out(contextJson.size() + brief.size() + 256);
    out.beginObject()
        .field("taskId", taskId)
        .field("role", role)
        .field("sessionId", sessionId)
        .key("context")
        .raw(contextJson)
        .field("brief", brief)
        .endObject();
    return out.take();
}

} // namespace maestro::host::spawn
