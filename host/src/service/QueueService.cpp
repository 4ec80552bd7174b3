#include "service/QueueService.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "json/Writer.h"

namespace maestro::host::service {

using domain::ApiError;
using domain::Queue;
using domain::QueueItem;
using json::Writer;

namespace {

Queue& queueOf(domain::Session& session) {
    if (session.strategy != "queue" || !session.queue)
        throw ApiError::badRequest("not_a_queue_session",
                                   "Session " + session.id + " does not use queue strategy");
    return *session.queue;
}

void itemOrNull(json::Writer& out, std::string_view key, const QueueItem* item) {
    out.key(key);
    if (item)
        domain::writeJson(out, *item);
    else
        out.null();
}

} // namespace

Queue QueueService::read(const std::string& sessionId, std::string* id) {
    auto session = sessions_.find(sessionId);
    auto queue = queueOf(session);
    if (id) *id = session.id;
    return queue;
}

std::string QueueService::state(const std::string& sessionId) {
    auto queue = read(sessionId);
    json::Writer out;
    out.beginObject().key("queue");
    domain::writeJson(out, queue, sessionId);
    out.key("stats");
    domain::writeStats(out, queue);
    out.endObject();
    return out.take();
}

std::string QueueService::items(const std::string& sessionId) {
    auto queue = read(sessionId);
    json::Writer out;
    out.beginObject().key("items").beginArray();
    for (const auto& item : queue.items)
        domain::writeJson(out, item);
    out.endArray().key("stats");
    domain::writeStats(out, queue);
    out.endObject();
    return out.take();
}

std::string QueueService::top(const std::string& sessionId) {
    auto queue = read(sessionId);
    json::Writer out;
    out.beginObject().field("hasMore", queue.next() != nullptr);
    itemOrNull(out, "item", queue.next());
    if (!queue.next()) out.field("message", "Queue is empty - all tasks processed");
    out.endObject();
    return out.take();
}

std::string QueueService::start(const std::string& sessionId) {
    if (!read(sessionId).next())
        return R"({"success":true,"item":null,"empty":true,"message":"Queue is empty - no items to process"})";
    return sessions_.change(sessionId, [&](store::Transaction& tx, domain::Session& session) {
        auto item = queueOf(session).start(domain::nowMs());
        tasks_.setSessionStatus(tx, item.taskId, "working", session.id);
        json::Writer out;
        out.beginObject().field("success", true).key("item");
        domain::writeJson(out, item);
        out.field("message", "Started processing task " + item.taskId).endObject();
        return out.take();
    });
}

std::string QueueService::advance(const std::string& sessionId, const std::string& verb,
                                  const std::string& itemKey,
                                  const std::function<QueueItem(Queue&)>& move) {
    return sessions_.change(sessionId, [&](store::Transaction& tx, domain::Session& session) {
        auto& queue = queueOf(session);
        auto item = move(queue);
        tasks_.setSessionStatus(tx, item.taskId, item.status, session.id);
        const auto* next = queue.next();
        json::Writer out;
        out.beginObject().field("success", true).key(itemKey);
        domain::writeJson(out, item);
        itemOrNull(out, "nextItem", next);
        out.field("hasMore", next != nullptr)
            .field("message",
                   verb + " " + item.taskId + "." +
                       (next ? " Next: " + next->taskId : std::string(" Queue is empty.")))
            .endObject();
        return out.take();
    });
}

std::string QueueService::complete(const std::string& sessionId) {
    return advance(sessionId, "Completed", "completedItem", [](Queue& queue) {
        return queue.finish("completed", std::nullopt, domain::nowMs());
    });
}

std::string QueueService::fail(const std::string& sessionId, std::optional<std::string> reason) {
    return advance(sessionId, "Failed", "failedItem", [&reason](Queue& queue) {
        return queue.finish("failed", reason, domain::nowMs());
    });
}

std::string QueueService::skip(const std::string& sessionId) {
    return advance(sessionId, "Skipped", "skippedItem",
                   [](Queue& queue) { return queue.skip(domain::nowMs()); });
}

std::string QueueService::push(const std::string& sessionId, const std::string& taskId) {
    return sessions_.change(sessionId, [&](store::Transaction&, domain::Session& session) {
        auto& queue = queueOf(session);
        tasks_.find(taskId); // 404 for a task that does not exist
        auto item = queue.push(taskId, domain::nowMs());
        json::Writer out;
        out.beginObject().field("success", true).key("item");
        domain::writeJson(out, item);
        out.endObject();
        return out.take();
    });
}

} // namespace maestro::host::service
