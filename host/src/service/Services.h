#pragma once

#include "service/AttentionService.h"
#include "service/EventBus.h"
#include "service/EventFeed.h"
#include "service/EventLogService.h"
#include "service/EventRecorder.h"
#include "service/IdempotencyService.h"
#include "service/ProjectService.h"
#include "service/QueueService.h"
#include "service/SessionService.h"
#include "service/StatusService.h"
#include "service/TaskService.h"
#include "store/Database.h"

namespace maestro::host::service {

// Every use case of the server, wired to one database and one event bus. Committed events
// reach the bus through the feed, which merges in other servers' (start it: feed.start()).
struct Services {
    Services(store::Database& db, EventBus& bus)
        : feed(db, bus), recorder(feed), projects(db, recorder), tasks(db, recorder),
          sessions(db, recorder, tasks), queues(sessions, tasks), attention(db, recorder),
          idempotency(db), eventLog(db),
          status(db, [this](const std::optional<std::string>& projectId) {
              return sessions.liveSessionsJson(projectId);
          }) {}

    EventFeed feed;
    EventRecorder recorder;
    ProjectService projects;
    TaskService tasks;
    SessionService sessions;
    QueueService queues;
    AttentionService attention;
    IdempotencyService idempotency;
    EventLogService eventLog;
    StatusService status;
};

} // namespace maestro::host::service
