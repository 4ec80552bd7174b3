#pragma once

#include "service/SessionService.h"
#include "service/TaskService.h"

#include <optional>
#include <string>

namespace maestro::host::service {

// /api/sessions/:id/queue…: the task queue of a session with the "queue" strategy, worked one
// task at a time (the original Maestro's queue commands). Starting, completing, failing and
// skipping an item set its task's sessionStatus (working, completed, failed, skipped) in the
// same transaction. A session of another strategy is 400 `not_a_queue_session`.
class QueueService {
public:
    QueueService(SessionService& sessions, TaskService& tasks)
        : sessions_(sessions), tasks_(tasks) {}

    std::string state(const std::string& sessionId); // {queue, stats}
    std::string items(const std::string& sessionId); // {items, stats}
    std::string top(const std::string& sessionId);   // {hasMore, item, message?}
    std::string start(const std::string& sessionId); // {success, item, message, empty?}
    std::string complete(const std::string& sessionId);
    std::string fail(const std::string& sessionId, std::optional<std::string> reason);
    std::string skip(const std::string& sessionId);
    std::string push(const std::string& sessionId, const std::string& taskId);

private:
    domain::Queue read(const std::string& sessionId, std::string* id = nullptr);
    // complete / fail / skip: the item that moved and what comes next.
    std::string advance(const std::string& sessionId, const std::string& verb,
                        const std::string& itemKey,
                        const std::function<domain::QueueItem(domain::Queue&)>& move);

    SessionService& sessions_;
    TaskService& tasks_;
};

} // namespace maestro::host::service
