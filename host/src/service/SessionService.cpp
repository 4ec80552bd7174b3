#include "service/SessionService.h"

#include "domain/ApiError.h"
#include "domain/Attention.h"
#include "domain/Clock.h"
#include "domain/Limits.h"
#include "json/Writer.h"
#include "service/AttentionService.h"
#include "store/ProjectRepository.h"
#include "store/TaskRepository.h"

#include <Poco/JSON/Parser.h>
#include <sstream>

namespace maestro::host::service {

using domain::ApiError;
using domain::Session;
using domain::SessionStatus;
using store::SessionRepository;
namespace events = domain::events;

namespace {

std::string exitedPayload(const Session& session, const std::string& reason) {
    json::Writer out;
    out.beginObject()
        .field("id", session.id)
        .field("sessionId", session.id)
        .field("projectId", session.projectId)
        .field("status", domain::toString(session.status))
        .field("exitCode", session.exitCode);
    if (!reason.empty()) out.field("reason", reason);
    out.endObject();
    return out.take();
}

// Sets (or, with nullopt, removes) one field of the session's metadata, where clients look
// for why a session is as it is without reading the timeline.
void setMetadata(Session& session, const std::string& key,
                 const std::optional<std::string>& value) {
    Poco::JSON::Parser parser;
    auto metadata = parser.parse(session.metadataJson).extract<Poco::JSON::Object::Ptr>();
    if (value)
        metadata->set(key, *value);
    else
        metadata->remove(key);
    std::ostringstream out;
    metadata->stringify(out);
    session.metadataJson = out.str();
}

} // namespace

store::JsonPage SessionService::list(const store::SessionFilter& filter, store::Page page) {
    return db_.read([&](store::Connection& connection) {
        return SessionRepository(connection).list(filter, page);
    });
}

std::string SessionService::get(const std::string& id) {
    auto json = db_.read(
        [&](store::Connection& connection) { return SessionRepository(connection).findJson(id); });
    if (!json) throw ApiError::notFound("session", id);
    return std::move(*json);
}

Session SessionService::find(const std::string& id) {
    auto session = db_.read(
        [&](store::Connection& connection) { return SessionRepository(connection).find(id); });
    if (!session) throw ApiError::notFound("session", id);
    return std::move(*session);
}

std::string SessionService::save(store::Transaction& tx, const Session& session, bool created,
                                 Size size) {
    auto json = domain::toJson(session);
    if (size == Size::Bounded && json.size() > domain::limits::kMaxStoredJson)
        throw ApiError::entityTooLarge("session", json.size(), domain::limits::kMaxStoredJson);
    SessionRepository sessions(tx.connection());
    if (created)
        sessions.insert(session, json);
    else
        sessions.update(session, json);
    events_.record(tx, created ? events::kSessionCreated : events::kSessionUpdated,
                   session.projectId, json);
    return json;
}

void SessionService::announceActivity(store::Transaction& tx, const Session& before,
                                      const Session& session) {
    if (!before.activity.sameAs(session.activity))
        events_.record(tx, events::kSessionActivity, session.projectId,
                       domain::activityJson(session));
    if (domain::attentionMoved(before, session)) announceAttention(events_, tx, session.projectId);
}

void SessionService::linkTasks(store::Transaction& tx, const Session& session,
                               const std::string& type, const std::string& message) {
    for (const auto& taskId : session.taskIds)
        tasks_.recordSession(tx, taskId, session.id, type == "session_started", message);
}

std::string SessionService::validateSpawn(const domain::SpawnRequest& request) {
    return db_.read([&](store::Connection& connection) {
        store::TaskRepository tasks(connection);
        std::optional<std::string> project = request.projectId;
        for (const auto& taskId : request.taskIds) {
            auto task = tasks.find(taskId);
            if (!task) throw ApiError::notFound("task", taskId);
            if (!project) project = task->projectId;
            if (task->projectId != *project)
                throw ApiError::badRequest("task_in_other_project",
                                           "Task " + taskId + " does not belong to project " +
                                               *project);
        }
        if (!store::ProjectRepository(connection).findJson(*project))
            throw ApiError::notFound("project", *project);
        if (request.parentSessionId &&
            !SessionRepository(connection).findJson(*request.parentSessionId))
            throw ApiError::notFound("session", *request.parentSessionId);
        return *project;
    });
}

std::string SessionService::create(domain::SessionDraft draft) {
    return db_.write([&](store::Transaction& tx) {
        domain::SpawnRequest check;
        check.projectId = draft.projectId;
        check.taskIds = draft.taskIds;
        check.parentSessionId = draft.parentSessionId;
        if (!check.taskIds.empty() || check.parentSessionId)
            validateSpawn(check);
        else if (!store::ProjectRepository(tx.connection()).findJson(draft.projectId))
            throw ApiError::notFound("project", draft.projectId);
        if (draft.id && SessionRepository(tx.connection()).findJson(*draft.id))
            throw ApiError::conflict("session_exists",
                                     "A session with id " + *draft.id + " already exists");
        auto session = domain::makeSession(std::move(draft), domain::nowMs());
        save(tx, session, true, Size::Bounded);
        linkTasks(tx, session, "session_started", "Session " + session.name + " started");
        return domain::toJson(session);
    });
}

std::string SessionService::update(const std::string& id, const domain::SessionPatch& patch,
                                   IfMatch ifMatch) {
    return db_.write([&](store::Transaction& tx) {
        auto session = SessionRepository(tx.connection()).find(id);
        if (!session) throw ApiError::notFound("session", id);
        checkVersion(ifMatch, "session", session->version, domain::toJson(*session));
        bool hadEnded = domain::isEnded(session->status);
        auto before = *session;
        if (!domain::applyPatch(*session, patch, domain::nowMs())) return domain::toJson(*session);
        auto json = save(tx, *session, false, Size::Bounded);
        announceActivity(tx, before, *session);
        if (!hadEnded && domain::isEnded(session->status))
            linkTasks(tx, *session, "session_ended",
                      "Session " + session->name + " " +
                          std::string(domain::toString(session->status)));
        return json;
    });
}

void SessionService::remove(const std::string& id, IfMatch ifMatch) {
    db_.write([&](store::Transaction& tx) {
        SessionRepository sessions(tx.connection());
        auto session = sessions.find(id);
        if (!session) throw ApiError::notFound("session", id);
        checkVersion(ifMatch, "session", session->version, domain::toJson(*session));
        sessions.remove(id);
        if (domain::needsAttention(*session)) announceAttention(events_, tx, session->projectId);
        events_.record(tx, events::kSessionDeleted, session->projectId, domain::idPayload(id));
    });
}

std::string SessionService::addTimeline(const std::string& id, domain::TimelineDraft entry) {
    return db_.write([&](store::Transaction& tx) {
        auto session = SessionRepository(tx.connection()).find(id);
        if (!session) throw ApiError::notFound("session", id);
        if (entry.taskId) {
            auto onTask = entry;
            onTask.sessionId = id;
            onTask.taskId.reset();
            tasks_.addTimeline(tx, *entry.taskId, std::move(onTask));
        }
        entry.sessionId.reset(); // it is this session's own timeline
        domain::addTimeline(*session, std::move(entry), domain::nowMs());
        save(tx, *session, false);
        return domain::toJson(*session);
    });
}

std::string SessionService::addEvent(const std::string& id, domain::SessionEvent event) {
    return db_.write([&](store::Transaction& tx) {
        auto session = SessionRepository(tx.connection()).find(id);
        if (!session) throw ApiError::notFound("session", id);
        domain::addEvent(*session, std::move(event), domain::nowMs());
        save(tx, *session, false);
        return domain::toJson(*session);
    });
}

std::string SessionService::change(
    const std::string& id,
    const std::function<std::string(store::Transaction&, domain::Session&)>& apply) {
    return db_.write([&](store::Transaction& tx) {
        auto session = SessionRepository(tx.connection()).find(id);
        if (!session) throw ApiError::notFound("session", id);
        auto result = apply(tx, *session);
        session->lastActivity = domain::nowMs();
        ++session->version;
        save(tx, *session, false);
        return result;
    });
}

std::string SessionService::createSpawning(const Session& session, const std::string& planJson,
                                           const std::optional<std::string>& clientSpawnJson) {
    return db_.write([&](store::Transaction& tx) {
        save(tx, session, true);
        linkTasks(tx, session, "session_started",
                  "Session " + session.name + " (" + session.role + ") spawned");
        auto json = domain::toJson(session);
        json::Writer request(json.size() + planJson.size() + 256);
        request.beginObject()
            .key("session")
            .raw(json)
            .key("plan")
            .raw(planJson)
            .field("projectId", session.projectId)
            .stringArray("taskIds", session.taskIds)
            .field("name", session.name)
            .field("role", session.role)
            .endObject();
        events_.record(tx, events::kSessionSpawnRequest, session.projectId, request.take());
        if (clientSpawnJson)
            events_.record(tx, events::kSessionSpawn, session.projectId, *clientSpawnJson);
        return json;
    });
}

void SessionService::markRunning(const std::string& id, std::optional<std::int64_t> pid) {
    db_.write([&](store::Transaction& tx) {
        auto session = SessionRepository(tx.connection()).find(id);
        if (!session || session->status != SessionStatus::Spawning) return;
        session->pid = pid;
        domain::changeStatus(*session, SessionStatus::Running, domain::nowMs(),
                             pid ? "Running as process " + std::to_string(*pid)
                                 : "Claimed by a client");
        save(tx, *session, false);
    });
}

void SessionService::markEnded(const std::string& id, SessionStatus status,
                               std::optional<std::int64_t> exitCode, const std::string& reason,
                               std::optional<std::int64_t> endedAt) {
    db_.write([&](store::Transaction& tx) {
        auto session = SessionRepository(tx.connection()).find(id);
        // A lost session ends too: its node came back and found it ended.
        if (!session || domain::isEnded(session->status)) return;
        auto before = *session;
        session->exitCode = exitCode;
        std::string message = reason;
        if (message.empty()) {
            message = "Ended: " + std::string(domain::toString(status));
            if (exitCode) message += " (exit code " + std::to_string(*exitCode) + ")";
        }
        domain::changeStatus(*session, status, endedAt.value_or(domain::nowMs()), message);
        if (!reason.empty()) setMetadata(*session, "failureReason", reason);
        save(tx, *session, false);
        announceActivity(tx, before, *session);
        events_.record(tx, events::kSessionExited, session->projectId,
                       exitedPayload(*session, reason));
        linkTasks(tx, *session, "session_ended", message);
    });
}

bool SessionService::recordActivity(const std::string& id, const domain::ActivityState& state) {
    return db_.write([&](store::Transaction& tx) {
        SessionRepository sessions(tx.connection());
        auto session = sessions.find(id);
        // A lost session still runs here when its node judges it: its activity is recorded.
        if (!session || domain::isEnded(session->status) || session->activity.sameAs(state))
            return false;
        auto before = *session;
        session->activity = state;
        sessions.updateJson(id, domain::toJson(*session));
        announceActivity(tx, before, *session);
        return true;
    });
}

bool SessionService::updateWorktree(const std::string& id,
                                    const std::function<void(domain::Worktree&)>& change) {
    return db_.write([&](store::Transaction& tx) {
        auto session = SessionRepository(tx.connection()).find(id);
        if (!session || !session->worktree) return false;
        auto before = *session;
        change(*session->worktree);
        if (session->worktree == before.worktree) return false;
        ++session->version;
        save(tx, *session, false);
        if (domain::attentionMoved(before, *session))
            announceAttention(events_, tx, session->projectId);
        return true;
    });
}

std::vector<Session> SessionService::live() {
    return db_.read(
        [](store::Connection& connection) { return SessionRepository(connection).live(); });
}

std::vector<Session> SessionService::onNode(const std::string& nodeId, SessionStatus status) {
    return db_.read([&](store::Connection& connection) {
        return SessionRepository(connection).onNode(nodeId, status);
    });
}

std::size_t SessionService::markLostOnSilentNodes(const std::string& self, std::int64_t cutoff) {
    // Looked for first with a read: a write would take the cluster's write turn every beat.
    if (db_.read([&](store::Connection& connection) {
               return SessionRepository(connection).liveOnSilentNodes(self, cutoff);
           })
            .empty())
        return 0;
    return db_.write([&](store::Transaction& tx) {
        SessionRepository sessions(tx.connection());
        auto lost = sessions.liveOnSilentNodes(self, cutoff);
        auto now = domain::nowMs();
        for (auto& session : lost) {
            auto reason =
                "Node " + session.nodeId + " stopped heartbeating; seen lost by node " + self;
            domain::changeStatus(session, SessionStatus::Lost, now, reason);
            setMetadata(session, "lostReason", reason);
            save(tx, session, false);
        }
        return lost.size();
    });
}

void SessionService::markFound(const std::string& id, const std::string& nodeId) {
    db_.write([&](store::Transaction& tx) {
        auto session = SessionRepository(tx.connection()).find(id);
        if (!session || domain::isEnded(session->status)) return;
        bool moved = session->nodeId != nodeId;
        if (session->status != SessionStatus::Lost && !moved) return;
        session->nodeId = nodeId;
        if (session->status == SessionStatus::Lost) {
            domain::changeStatus(*session, SessionStatus::Running, domain::nowMs(),
                                 "Node " + nodeId + " holds it again: running");
            setMetadata(*session, "lostReason", std::nullopt);
        } else {
            ++session->version;
        }
        save(tx, *session, false);
    });
}

std::string SessionService::liveSessionsJson(const std::optional<std::string>& projectId) {
    auto page = list({.projectId = projectId, .liveOnly = true}, {});
    std::string out = "[";
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        if (i) out += ',';
        out += page.items[i];
    }
    return out + "]";
}

} // namespace maestro::host::service
