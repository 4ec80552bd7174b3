#pragma once

#include "json/Writer.h"

#include <Poco/JSON/Object.h>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maestro::domain {

// The task queue of a session with the "queue" strategy (the original Maestro's FIFO worker
// mode): its tasks in order, each queued, then processing, then completed, failed or skipped.
// At most one is processing at a time; currentIndex points at it (-1: none).
struct QueueItem {
    std::string taskId;
    std::string status = "queued"; // queued | processing | completed | failed | skipped
    std::int64_t addedAt = 0;
    std::optional<std::int64_t> startedAt;
    std::optional<std::int64_t> completedAt;
    std::optional<std::string> failReason;
};

struct Queue {
    std::vector<QueueItem> items;
    std::int64_t currentIndex = -1;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;

    // A queue of these tasks, all queued.
    static Queue of(const std::vector<std::string>& taskIds, std::int64_t now);

    // The first queued item (the next to start), if any.
    const QueueItem* next() const;
    // The item being processed, if any.
    const QueueItem* current() const;

    // Each moves one item and returns it; ApiError 400 when the queue is not in a state that
    // allows it (already processing, nothing to start, nothing processing, a task queued twice).
    QueueItem start(std::int64_t now);
    QueueItem finish(std::string status, std::optional<std::string> reason, std::int64_t now);
    // Skips the item being processed, else the next queued one.
    QueueItem skip(std::int64_t now);
    QueueItem push(const std::string& taskId, std::int64_t now);
};

inline constexpr std::string_view kStrategies[] = {"simple", "queue", "tree"};
bool isValidStrategy(std::string_view strategy) noexcept;

void writeJson(json::Writer& out, const QueueItem& item);
// {sessionId, strategy, items, currentIndex, createdAt, updatedAt}
void writeJson(json::Writer& out, const Queue& queue, const std::string& sessionId);
// {total, queued, processing, completed, failed, skipped}
void writeStats(json::Writer& out, const Queue& queue);
Queue queueFromJson(const Poco::JSON::Object& object);

} // namespace maestro::domain
