#pragma once

#include "http/Exchange.h"
#include "service/QueueService.h"

namespace maestro::host::http {

// /api/sessions/:id/queue…: a queue-strategy session's tasks, one at a time (the original
// Maestro's `maestro queue` commands).
class QueueHandlers {
public:
    explicit QueueHandlers(service::QueueService& queues) : queues_(queues) {}

    Response state(Request& request); // GET  …/queue
    Response top(Request& request);   // GET  …/queue/top
    Response items(Request& request); // GET  …/queue/items
    Response start(Request& request); // POST …/queue/start
    Response complete(Request& request);
    Response fail(Request& request); // {"reason"?}
    Response skip(Request& request);
    Response push(Request& request); // {"taskId"}

private:
    service::QueueService& queues_;
};

} // namespace maestro::host::http
