#include "domain/Queue.h"

#include "domain/ApiError.h"

#include <Poco/JSON/Array.h>
#include <algorithm>

namespace maestro::domain {

namespace {

QueueItem& at(Queue& queue, std::int64_t index) {
    return queue.items[static_cast<std::size_t>(index)];
}

} // namespace

bool isValidStrategy(std::string_view strategy) noexcept {
    return std::find(std::begin(kStrategies), std::end(kStrategies), strategy) !=
           std::end(kStrategies);
}

Queue Queue::of(const std::vector<std::string>& taskIds, std::int64_t now) {
    Queue queue;
    queue.createdAt = queue.updatedAt = now;
    for (const auto& id : taskIds)
        queue.items.push_back({id, "queued", now, {}, {}, {}});
    return queue;
}

const QueueItem* Queue::next() const {
    auto found = std::find_if(items.begin(), items.end(),
                              [](const QueueItem& item) { return item.status == "queued"; });
    return found == items.end() ? nullptr : &*found;
}

const QueueItem* Queue::current() const {
    if (currentIndex < 0 || currentIndex >= static_cast<std::int64_t>(items.size())) return nullptr;
    const auto& item = items[static_cast<std::size_t>(currentIndex)];
    return item.status == "processing" ? &item : nullptr;
}

QueueItem Queue::start(std::int64_t now) {
    if (auto busy = current())
        throw ApiError::badRequest("queue_busy", "Already processing task " + busy->taskId +
                                                     ". Complete or fail it first.");
    auto queued = next();
    if (!queued) throw ApiError::badRequest("queue_empty", "No items left in queue to process");
    currentIndex = queued - items.data();
    auto& item = at(*this, currentIndex);
    item.status = "processing";
    item.startedAt = now;
    updatedAt = now;
    return item;
}

QueueItem Queue::finish(std::string status, std::optional<std::string> reason, std::int64_t now) {
    if (!current())
        throw ApiError::badRequest("queue_idle",
                                   "No item currently being processed. Run \"start\" first.");
    auto& item = at(*this, currentIndex);
    item.status = std::move(status);
    item.completedAt = now;
    item.failReason = std::move(reason);
    currentIndex = -1;
    updatedAt = now;
    return item;
}

QueueItem Queue::skip(std::int64_t now) {
    if (current()) return finish("skipped", std::nullopt, now);
    auto queued = next();
    if (!queued) throw ApiError::badRequest("queue_empty", "No items left in queue to skip");
    auto& item = items[static_cast<std::size_t>(queued - items.data())];
    item.status = "skipped";
    item.completedAt = now;
    updatedAt = now;
    return item;
}

QueueItem Queue::push(const std::string& taskId, std::int64_t now) {
    if (std::any_of(items.begin(), items.end(),
                    [&](const QueueItem& item) { return item.taskId == taskId; }))
        throw ApiError::badRequest("already_queued", "Task " + taskId + " already in queue");
    items.push_back({taskId, "queued", now, {}, {}, {}});
    updatedAt = now;
    return items.back();
}

void writeJson(json::Writer& out, const QueueItem& item) {
    out.beginObject()
        .field("taskId", item.taskId)
        .field("status", item.status)
        .field("addedAt", item.addedAt);
    if (item.startedAt) out.field("startedAt", *item.startedAt);
    if (item.completedAt) out.field("completedAt", *item.completedAt);
    if (item.failReason) out.field("failReason", *item.failReason);
    out.endObject();
}

void writeJson(json::Writer& out, const Queue& queue, const std::string& sessionId) {
    out.beginObject().field("sessionId", sessionId).field("strategy", "queue");
    out.key("items").beginArray();
    for (const auto& item : queue.items)
        writeJson(out, item);
    out.endArray()
        .field("currentIndex", queue.currentIndex)
        .field("createdAt", queue.createdAt)
        .field("updatedAt", queue.updatedAt)
        .endObject();
}

void writeStats(json::Writer& out, const Queue& queue) {
    auto count = [&queue](std::string_view status) {
        return static_cast<std::int64_t>(
            std::count_if(queue.items.begin(), queue.items.end(),
                          [status](const QueueItem& item) { return item.status == status; }));
    };
    out.beginObject().field("total", static_cast<std::int64_t>(queue.items.size()));
    for (auto status : {"queued", "processing", "completed", "failed", "skipped"})
        out.field(status, count(status));
    out.endObject();
}

Queue queueFromJson(const Poco::JSON::Object& object) {
    Queue queue;
    queue.currentIndex = object.getValue<std::int64_t>("currentIndex");
    queue.createdAt = object.getValue<std::int64_t>("createdAt");
    queue.updatedAt = object.getValue<std::int64_t>("updatedAt");
    auto items = object.getArray("items");
    for (std::size_t i = 0; items && i < items->size(); ++i) {
        auto item = items->getObject(static_cast<unsigned>(i));
        QueueItem entry;
        entry.taskId = item->getValue<std::string>("taskId");
        entry.status = item->getValue<std::string>("status");
        entry.addedAt = item->getValue<std::int64_t>("addedAt");
        if (item->has("startedAt")) entry.startedAt = item->getValue<std::int64_t>("startedAt");
        if (item->has("completedAt"))
            entry.completedAt = item->getValue<std::int64_t>("completedAt");
        if (item->has("failReason")) entry.failReason = item->getValue<std::string>("failReason");
        queue.items.push_back(std::move(entry));
    }
    return queue;
}

} // namespace maestro::domain
