#include "service/StatusService.h"

#include "domain/ApiError.h"
#include "domain/Task.h"
#include "json/Writer.h"
#include "store/EventRepository.h"
#include "store/ProjectRepository.h"
#include "store/TaskRepository.h"

#include <Poco/JSON/Parser.h>

namespace maestro::host::service {

namespace {

constexpr std::int64_t kBlockedShown = 100;
constexpr std::int64_t kRecentEvents = 20;

// A one-line view of an event: its subject's id and title or name, without the whole payload.
void writeEventSummary(json::Writer& out, const domain::Event& event) {
    out.beginObject()
        .field("seq", event.seq)
        .field("type", event.type)
        .field("timestamp", event.timestamp);
    try {
        Poco::JSON::Parser parser;
        auto data = parser.parse(event.dataJson).extract<Poco::JSON::Object::Ptr>();
        if (auto subtask = data->getObject("subtask")) data = subtask;
        for (const char* key : {"id", "subtaskId", "taskId", "title", "name", "status"})
            if (data->has(key) && data->get(key).isString())
                out.field(key, data->getValue<std::string>(key));
    } catch (const Poco::Exception&) {
        // A payload that is not an object is summarised by its type alone.
    }
    out.endObject();
}

} // namespace

std::string StatusService::overview(const std::optional<std::string>& projectId) {
    json::Writer out(4096);
    db_.read([&](store::Connection& connection) {
        if (projectId && !store::ProjectRepository(connection).findJson(*projectId))
            throw domain::ApiError::notFound("project", *projectId);
        store::TaskRepository tasks(connection);

        out.beginObject().field("projectId", projectId);
        out.key("counts").beginObject();
        std::int64_t total = 0;
        auto counts = tasks.countByStatus(projectId);
        for (auto status : domain::kAllTaskStatuses) {
            std::int64_t n = 0;
            for (const auto& [name, count] : counts)
                if (name == domain::toString(status)) n = count;
            out.field(domain::toString(status), n);
            total += n;
        }
        out.field("total", total).endObject();

        out.key("blocked").beginArray();
        for (const auto& task : tasks.blockedSummaries(projectId, kBlockedShown)) {
            out.beginObject()
                .field("id", task.id)
                .field("projectId", task.projectId)
                .field("parentId", task.parentId)
                .field("title", task.title)
                .field("blockedReason", task.blockedReason)
                .field("updatedAt", task.updatedAt)
                .endObject();
        }
        out.endArray();

        out.key("sessions").raw(liveSessions_ ? liveSessions_(projectId) : "[]");

        store::EventRepository events(connection);
        out.key("recentEvents").beginArray();
        for (const auto& event : events.recent(kRecentEvents, projectId))
            writeEventSummary(out, event);
        out.endArray();
        out.field("lastSeq", events.lastSeq());
        out.endObject();
    });
    return out.take();
}

} // namespace maestro::host::service
