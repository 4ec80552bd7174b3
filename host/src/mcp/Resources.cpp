#include "mcp/Resources.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "json/Utf8.h"
#include "json/Writer.h"
#include "mcp/JsonRpc.h"

#include <Poco/JSON/Parser.h>
#include <fstream>
#include <sstream>

namespace maestro::host::mcp::resources {

namespace {

constexpr std::string_view kScheme = "maestro://";

std::string briefUri(const std::string& sessionId) {
    return std::string(kScheme) + "sessions/" + sessionId + "/brief";
}
std::string contextUri(const std::string& taskId) {
    return std::string(kScheme) + "tasks/" + taskId + "/context";
}

[[noreturn]] void notFound(const std::string& uri, const std::string& why) {
    json::Writer data;
    data.beginObject().field("uri", uri).endObject();
    throw RpcError(rpc::kResourceNotFound, "Resource not found: " + why, data.take());
}

// "maestro://<kind>/<id>/<leaf>" → id, or nullopt when the URI has another shape.
std::optional<std::string> idIn(const std::string& uri, std::string_view kind,
                                std::string_view leaf) {
    std::string prefix = std::string(kScheme) + std::string(kind) + "/";
    std::string suffix = "/" + std::string(leaf);
    if (!uri.starts_with(prefix) || !uri.ends_with(suffix) ||
        uri.size() <= prefix.size() + suffix.size())
        return std::nullopt;
    auto id = uri.substr(prefix.size(), uri.size() - prefix.size() - suffix.size());
    if (!domain::isValidId(id)) return std::nullopt;
    return id;
}

std::string contents(const std::string& uri, std::string_view mimeType, std::string_view text) {
    json::Writer out(text.size() + 256);
    out.beginObject().key("contents").beginArray().beginObject();
    out.field("uri", uri).field("mimeType", mimeType).field("text", text);
    out.endObject().endArray().endObject();
    return out.take();
}

std::string readBrief(const ToolEnv& env, const std::string& uri, const std::string& sessionId) {
    std::string metadata;
    try {
        metadata = env.services.sessions.find(sessionId).metadataJson;
    } catch (const domain::ApiError&) {
        notFound(uri, "no session " + sessionId);
    }
    Poco::JSON::Parser parser;
    auto object = parser.parse(metadata).extract<Poco::JSON::Object::Ptr>();
    auto file = object->optValue<std::string>("briefFile", "");
    std::ifstream in(file, std::ios::binary);
    if (file.empty() || !in) notFound(uri, "session " + sessionId + " has no brief");
    std::ostringstream text;
    text << in.rdbuf();
    return contents(uri, "text/markdown", json::sanitizeUtf8(text.str()));
}

std::string readContext(const ToolEnv& env, const std::string& uri, const std::string& taskId) {
    auto& tasks = env.services.tasks;
    domain::Task task;
    try {
        task = tasks.find(taskId);
    } catch (const domain::ApiError&) {
        notFound(uri, "no task " + taskId);
    }
    json::Writer out(8192);
    out.beginObject().key("task").raw(domain::toJson(task));
    out.key("project").raw(env.services.projects.get(task.projectId));
    out.key("subtasks").beginArray();
    for (const auto& subtask : tasks.listSubtasks(taskId, {}).items)
        out.raw(subtask);
    out.endArray().key("dependencies").beginArray();
    for (const auto& dependency : task.dependencies) {
        try {
            out.raw(tasks.get(dependency));
        } catch (const domain::ApiError&) {
            // Deleted meanwhile: not shown.
        }
    }
    out.endArray().endObject();
    return contents(uri, "application/json", out.str());
}

} // namespace

std::string templatesJson() {
    json::Writer out;
    out.beginObject().key("resourceTemplates").beginArray();
    out.beginObject()
        .field("uriTemplate", std::string(kScheme) + "sessions/{sessionId}/brief")
        .field("name", "session-brief")
        .field("title", "Session brief")
        .field("description", "The brief a session was spawned with: its task, role and how to "
                              "work with Maestro")
        .field("mimeType", "text/markdown")
        .endObject();
    out.beginObject()
        .field("uriTemplate", std::string(kScheme) + "tasks/{taskId}/context")
        .field("name", "task-context")
        .field("title", "Task context")
        .field("description", "A task with its project, subtasks and dependencies")
        .field("mimeType", "application/json")
        .endObject();
    out.endArray().endObject();
    return out.take();
}

std::string listJson(const ToolEnv& env, const std::optional<std::string>& session) {
    json::Writer out;
    out.beginObject().key("resources").beginArray();
    if (session) {
        auto record = env.services.sessions.find(*session);
        out.beginObject()
            .field("uri", briefUri(record.id))
            .field("name", "brief")
            .field("title", "Brief of " + record.name)
            .field("mimeType", "text/markdown")
            .endObject();
        for (const auto& taskId : record.taskIds)
            out.beginObject()
                .field("uri", contextUri(taskId))
                .field("name", "context-" + taskId)
                .field("title", "Context of task " + taskId)
                .field("mimeType", "application/json")
                .endObject();
    }
    out.endArray().endObject();
    return out.take();
}

std::string readJson(const ToolEnv& env, const std::string& uri) {
    if (auto sessionId = idIn(uri, "sessions", "brief")) return readBrief(env, uri, *sessionId);
    if (auto taskId = idIn(uri, "tasks", "context")) return readContext(env, uri, *taskId);
    notFound(uri, uri);
}

} // namespace maestro::host::mcp::resources
