#pragma once

#include "http/Exchange.h"
#include "service/EventLogService.h"
#include "service/StatusService.h"

#include <chrono>

namespace maestro::host::http {

// The read-only views across everything: /health, /api/status and /api/events.
class OverviewHandlers {
public:
    OverviewHandlers(service::StatusService& status, service::EventLogService& events)
        : status_(status), events_(events) {}

    Response health(Request& request);
    Response status(Request& request); // ?projectId=
    Response events(Request& request); // ?since=&limit=&projectId=

private:
    service::StatusService& status_;
    service::EventLogService& events_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

} // namespace maestro::host::http
