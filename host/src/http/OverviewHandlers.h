#pragma once

#include "http/Exchange.h"
#include "service/EventLogService.h"
#include "service/NodeService.h"
#include "service/StatusService.h"

#include <chrono>

namespace maestro::host::http {

// The read-only views across everything: /health, /api/status, /api/events and /api/nodes.
class OverviewHandlers {
public:
    OverviewHandlers(service::StatusService& status, service::EventLogService& events,
                     service::NodeService& nodes)
        : status_(status), events_(events), nodes_(nodes) {}

    Response health(Request& request);
    Response status(Request& request); // ?projectId=
    Response events(Request& request); // ?since=&limit=&projectId=
    Response nodes(Request& request);

private:
    service::StatusService& status_;
    service::EventLogService& events_;
    service::NodeService& nodes_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

} // namespace maestro::host::http
