#include "domain/Session.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "domain/JsonInput.h"
#include "domain/Limits.h"
#include "domain/StoredJson.h"

#include <Poco/Environment.h>
#include <Poco/JSON/Stringifier.h>
#include <algorithm>
#include <sstream>

namespace maestro::domain {

namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxTasks = 100;

// What a client may set: every status but lost, which only nodes judge (docs/scale-out.md).
SessionStatus requiredStatus(const std::string& text) {
    if (auto status = parseSessionStatus(text); status && *status != SessionStatus::Lost)
        return *status;
    throw ApiError::invalidField("status",
                                 "must be one of spawning, running, idle, working, completed, "
                                 "failed, stopped (got '" +
                                     text + "')");
}

std::string requiredRole(const std::string& role) {
    if (!isValidRole(role))
        throw ApiError::invalidField("role", "must be worker or orchestrator (got '" + role + "')");
    return role;
}

// taskIds, or the original API's single taskId.
std::vector<std::string> taskIdsOf(const JsonInput& body) {
    std::vector<std::string> ids;
    if (auto many = body.optStringArray("taskIds", kMaxTasks))
        ids = std::move(*many);
    else if (auto one = body.optString("taskId", 128))
        ids.push_back(std::move(*one));
    for (const auto& id : ids)
        if (!isValidId(id))
            throw ApiError::invalidField("taskIds", "contains an invalid id '" + id + "'");
    std::vector<std::string> unique;
    for (auto& id : ids)
        if (std::find(unique.begin(), unique.end(), id) == unique.end())
            unique.push_back(std::move(id));
    return unique;
}

std::string strategyOf(const JsonInput& body) {
    auto strategy = body.optString("strategy", 16).value_or("simple");
    if (!isValidStrategy(strategy))
        throw ApiError::invalidField("strategy",
                                     "must be simple, queue or tree (got '" + strategy + "')");
    return strategy;
}

std::optional<std::string> optionalId(const JsonInput& body, std::string_view field) {
    auto value = body.optNullableString(field, 128);
    if (!value || !*value) return std::nullopt;
    if (!isValidId(**value)) throw ApiError::invalidField(field, "is not a valid id");
    return **value;
}

std::optional<std::string> nodeIdOf(const JsonInput& body) {
    auto value = body.optNullableString("nodeId", 256);
    if (!value || !*value) return std::nullopt;
    if (!isValidNodeId(**value))
        throw ApiError::invalidField("nodeId", "is not a node id ([A-Za-z0-9._:-])");
    return **value;
}

} // namespace

std::string_view toString(SessionStatus status) noexcept {
    switch (status) {
    case SessionStatus::Spawning:
        return "spawning";
    case SessionStatus::Running:
        return "running";
    case SessionStatus::Idle:
        return "idle";
    case SessionStatus::Working:
        return "working";
    case SessionStatus::Completed:
        return "completed";
    case SessionStatus::Failed:
        return "failed";
    case SessionStatus::Stopped:
        return "stopped";
    case SessionStatus::Lost:
        return "lost";
    }
    return "failed";
}

std::optional<SessionStatus> parseSessionStatus(std::string_view text) noexcept {
    for (auto status : kAllSessionStatuses)
        if (toString(status) == text) return status;
    return std::nullopt;
}

bool isLive(SessionStatus status) noexcept {
    return status == SessionStatus::Spawning || status == SessionStatus::Running ||
           status == SessionStatus::Idle || status == SessionStatus::Working;
}

bool isEnded(SessionStatus status) noexcept {
    return status == SessionStatus::Completed || status == SessionStatus::Failed ||
           status == SessionStatus::Stopped;
}

bool isValidRole(std::string_view role) noexcept {
    return std::find(std::begin(kRoles), std::end(kRoles), role) != std::end(kRoles);
}

SessionDraft parseSessionDraft(const JsonInput& body) {
    SessionDraft draft;
    draft.id = optionalId(body, "id");
    draft.projectId = body.requiredString("projectId", 128);
    if (!isValidId(draft.projectId)) throw ApiError::invalidField("projectId", "is not a valid id");
    draft.taskIds = taskIdsOf(body);
    draft.name = body.optString("name", kMaxName).value_or("");
    if (auto role = body.optString("role", 32)) draft.role = requiredRole(*role);
    if (auto status = body.optString("status", 32)) draft.status = requiredStatus(*status);
    draft.agent = body.optString("agentId", kMaxName)
                      .value_or(body.optString("agent", kMaxName).value_or(""));
    draft.env = body.optStringMap("env").value_or(std::map<std::string, std::string>{});
    draft.parentSessionId = optionalId(body, "parentSessionId");
    draft.metadataJson = body.optObjectText("metadata").value_or("{}");
    draft.strategy = strategyOf(body);
    return draft;
}

SessionPatch parseSessionPatch(const JsonInput& body) {
    SessionPatch patch;
    if (body.has("taskIds") || body.has("taskId")) patch.taskIds = taskIdsOf(body);
    if (auto status = body.optString("status", 32)) patch.status = requiredStatus(*status);
    patch.name = body.optString("name", kMaxName);
    patch.metadataJson = body.optObjectText("metadata");
    for (const char* key : {"timeline", "events"})
        if (auto entries = body.optObjectArray(key, 100)) {
            for (const auto& entry : *entries) {
                // The original API's session events are {type, data}; keep what a timeline can
                // show.
                auto draft = TimelineDraft{};
                draft.type = "update";
                draft.message = entry.optString("message", limits::kMaxTimelineMessage)
                                    .value_or(entry.optString("type", 64).value_or("event"));
                patch.timeline.push_back(std::move(draft));
            }
        }
    return patch;
}

SpawnRequest parseSpawnRequest(const JsonInput& body) {
    SpawnRequest request;
    request.projectId = optionalId(body, "projectId");
    request.taskIds = taskIdsOf(body);
    if (request.taskIds.empty())
        throw ApiError::invalidField("taskIds", "must name at least one task");
    if (auto role = body.optString("role", 32)) request.role = requiredRole(*role);
    request.agent = body.optString("agent", kMaxName).value_or("");
    if (!request.agent.empty() && !isValidId(request.agent))
        throw ApiError::invalidField("agent", "must be a profile name of [A-Za-z0-9_-]");
    request.name = body.optString("name", kMaxName)
                       .value_or(body.optString("sessionName", kMaxName).value_or(""));
    // The parent: parentSessionId, or the original API's sessionId (and older spawnedBy).
    for (const char* key : {"parentSessionId", "sessionId", "spawnedBy"})
        if (!request.parentSessionId) request.parentSessionId = optionalId(body, key);
    for (auto [key, target] : {std::pair{"cols", &request.cols}, std::pair{"rows", &request.rows}})
        if (auto value = body.optInteger(key)) {
            if (*value < 1 || *value > 1000) throw ApiError::invalidField(key, "must be 1-1000");
            *target = static_cast<int>(*value);
        }
    if (auto source = body.optString("spawnSource", 32)) {
        if (*source != "api" && *source != "ui" && *source != "session")
            throw ApiError::invalidField("spawnSource", "must be api, ui or session");
        request.spawnSource = *source;
    }
    if (request.spawnSource == "session" && !request.parentSessionId)
        throw ApiError::badRequest("missing_session_id",
                                   "A spawn from a session (spawnSource session) must name that "
                                   "session in sessionId");
    if (auto skills = body.optStringArray("skills", 100)) {
        for (const auto& skill : *skills)
            if (!isValidId(skill))
                throw ApiError::invalidField("skills",
                                             "contains an invalid skill id '" + skill + "'");
        request.skills = std::move(*skills);
    }
    request.contextJson = body.optObjectText("context");
    request.strategy = strategyOf(body);
    if (auto isolation = body.optString("isolation", 32)) {
        request.isolation = parseIsolation(*isolation);
        if (!request.isolation)
            throw ApiError::invalidField("isolation", "must be \"worktree\" or \"none\"");
    }
    request.nodeId = nodeIdOf(body);
    return request;
}

SessionEvent parseSessionEvent(const JsonInput& body) {
    SessionEvent event;
    event.type = body.requiredString("type", 64);
    if (event.type.empty()) throw ApiError::invalidField("type", "must not be empty");
    if (body.has("data")) {
        std::ostringstream data;
        Poco::JSON::Stringifier::stringify(body.object()->get("data"), data);
        event.dataJson = data.str();
    }
    return event;
}

Session makeSession(SessionDraft draft, std::int64_t now) {
    Session session;
    session.id = draft.id ? *draft.id : newId("sess");
    session.projectId = std::move(draft.projectId);
    session.taskIds = std::move(draft.taskIds);
    session.name = draft.name.empty() ? session.id : std::move(draft.name);
    session.role = std::move(draft.role);
    session.status = draft.status;
    session.agent = std::move(draft.agent);
    session.env = std::move(draft.env);
    session.startedAt = session.lastActivity = now;
    if (isEnded(session.status)) session.completedAt = now;
    session.hostname = Poco::Environment::nodeName();
    session.platform =
        Poco::Environment::osName() == "Linux" ? "linux" : Poco::Environment::osName();
    session.parentSessionId = std::move(draft.parentSessionId);
    session.metadataJson = std::move(draft.metadataJson);
    session.strategy = std::move(draft.strategy);
    if (session.strategy == "queue") session.queue = Queue::of(session.taskIds, now);
    session.timeline.push_back({newId("evt"), "created", "Session created", std::nullopt, now});
    session.activity = {isLive(session.status) ? Activity::Starting : Activity::Exited, now, "",
                        ActivitySource::Server};
    return session;
}

bool changeStatus(Session& session, SessionStatus status, std::int64_t now, std::string message) {
    if (session.status == status) return false;
    if (message.empty()) {
        message = "Status changed from ";
        message += toString(session.status);
        message += " to ";
        message += toString(status);
    }
    if (!isLive(status))
        session.activity = {Activity::Exited, now, message, ActivitySource::Server};
    session.timeline.push_back(
        {newId("evt"), "status_changed", std::move(message), std::nullopt, now});
    session.status = status;
    session.completedAt = isEnded(status) ? std::optional<std::int64_t>{now} : std::nullopt;
    session.lastActivity = now;
    ++session.version;
    return true;
}

void addTimeline(Session& session, TimelineDraft entry, std::int64_t now) {
    appendTimeline(session.timeline, std::move(entry), now);
    session.lastActivity = now;
    ++session.version;
}

void addEvent(Session& session, SessionEvent event, std::int64_t now) {
    event.id = newId("evt");
    event.timestamp = now;
    session.events.push_back(std::move(event));
    session.lastActivity = now;
    ++session.version;
}

bool applyPatch(Session& session, const SessionPatch& patch, std::int64_t now) {
    auto before = session.version;
    bool changed = false;
    if (patch.taskIds && *patch.taskIds != session.taskIds) {
        session.taskIds = *patch.taskIds;
        changed = true;
    }
    if (patch.name && *patch.name != session.name) {
        session.name = *patch.name;
        changed = true;
    }
    if (patch.metadataJson && *patch.metadataJson != session.metadataJson) {
        session.metadataJson = *patch.metadataJson;
        changed = true;
    }
    for (const auto& entry : patch.timeline) {
        appendTimeline(session.timeline, entry, now);
        changed = true;
    }
    if (patch.status) changeStatus(session, *patch.status, now, {});
    if (changed) {
        session.lastActivity = now;
        if (session.version == before) ++session.version;
    }
    return changed || session.version != before;
}

void writeJson(json::Writer& out, const Session& session) {
    out.beginObject()
        .field("id", session.id)
        .field("projectId", session.projectId)
        .stringArray("taskIds", session.taskIds)
        .field("name", session.name)
        .field("role", session.role)
        .field("status", toString(session.status))
        .field("agent", session.agent)
        .field("agentId", session.agent)
        .field("command", session.command)
        .stringArray("args", session.args)
        .field("cwd", session.cwd)
        .stringMap("env", session.env)
        .field("pid", session.pid)
        .field("exitCode", session.exitCode)
        .field("startedAt", session.startedAt)
        .field("lastActivity", session.lastActivity)
        .field("completedAt", session.completedAt)
        .field("hostname", session.hostname)
        .field("platform", session.platform)
        .field("nodeId", session.nodeId.empty() ? std::optional<std::string>{} : session.nodeId)
        .field("parentSessionId", session.parentSessionId)
        .key("metadata")
        .raw(session.metadataJson)
        .key("worktree");
    if (session.worktree)
        writeJson(out, *session.worktree);
    else
        out.null();
    out.key("timeline");
    writeJson(out, session.timeline);
    out.key("events").beginArray();
    for (const auto& event : session.events)
        out.beginObject()
            .field("id", event.id)
            .field("timestamp", event.timestamp)
            .field("type", event.type)
            .key("data")
            .raw(event.dataJson)
            .endObject();
    out.endArray();
    out.field("strategy", session.strategy).key("queue");
    if (session.queue)
        writeJson(out, *session.queue, session.id);
    else
        out.null();
    out.field("activity", toString(session.activity.activity))
        .field("activitySince", session.activity.since)
        .field("activityReason", session.activity.reason)
        .field("activitySource", toString(session.activity.source))
        .field("version", session.version)
        .endObject();
}

std::string activityJson(const Session& session) {
    json::Writer out;
    out.beginObject()
        .field("sessionId", session.id)
        .field("projectId", session.projectId)
        .field("activity", toString(session.activity.activity))
        .field("since", session.activity.since)
        .field("reason", session.activity.reason)
        .field("source", toString(session.activity.source))
        .endObject();
    return out.take();
}

std::string toJson(const Session& session) {
    json::Writer out(1024);
    writeJson(out, session);
    return out.take();
}

Session sessionFromJson(std::string_view json) {
    StoredJson stored(json);
    const auto& object = stored.object();
    Session session;
    session.id = stored.string("id");
    session.projectId = stored.string("projectId");
    session.taskIds = stored.strings("taskIds");
    session.name = stored.string("name");
    session.role = stored.string("role");
    session.status = parseSessionStatus(stored.string("status")).value_or(SessionStatus::Failed);
    session.agent = stored.string("agent");
    session.command = stored.string("command");
    session.args = stored.strings("args");
    session.cwd = stored.string("cwd");
    if (auto env = object.getObject("env"))
        for (const auto& [name, value] : *env)
            session.env[name] = value.convert<std::string>();
    session.pid = stored.optionalInteger("pid");
    session.exitCode = stored.optionalInteger("exitCode");
    session.startedAt = stored.integer("startedAt");
    session.lastActivity = stored.integer("lastActivity");
    session.completedAt = stored.optionalInteger("completedAt");
    session.hostname = stored.string("hostname");
    session.platform = stored.string("platform");
    session.nodeId = stored.optionalString("nodeId").value_or("");
    session.parentSessionId = stored.optionalString("parentSessionId");
    std::ostringstream metadata;
    object.getObject("metadata")->stringify(metadata);
    session.metadataJson = metadata.str();
    if (auto worktree = object.getObject("worktree"))
        session.worktree = worktreeFromJson(*worktree);
    session.timeline = timelineFromJson(object.getArray("timeline"));
    if (auto events = object.getArray("events"))
        for (std::size_t i = 0; i < events->size(); ++i) {
            auto item = events->getObject(static_cast<unsigned>(i));
            SessionEvent event;
            event.id = item->getValue<std::string>("id");
            event.timestamp = item->getValue<std::int64_t>("timestamp");
            event.type = item->getValue<std::string>("type");
            std::ostringstream data;
            Poco::JSON::Stringifier::stringify(item->get("data"), data);
            event.dataJson = data.str();
            session.events.push_back(std::move(event));
        }
    session.strategy = stored.optionalString("strategy").value_or("simple");
    if (auto queue = object.getObject("queue")) session.queue = queueFromJson(*queue);
    session.version = stored.integer("version");
    // Sessions stored before activity existed: starting while live, else exited.
    auto activity = parseActivity(stored.optionalString("activity").value_or(""));
    session.activity.activity =
        activity.value_or(isLive(session.status) ? Activity::Starting : Activity::Exited);
    session.activity.since = stored.optionalInteger("activitySince")
                                 .value_or(session.completedAt.value_or(session.startedAt));
    session.activity.reason = stored.optionalString("activityReason").value_or("");
    session.activity.source =
        parseActivitySource(stored.optionalString("activitySource").value_or(""))
            .value_or(ActivitySource::Server);
    return session;
}

} // namespace maestro::domain
