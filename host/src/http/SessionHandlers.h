#pragma once

#include "cluster/PeerClient.h"
#include "cluster/Routing.h"
#include "http/Exchange.h"
#include "http/NodeForwarder.h"
#include "service/SessionService.h"
#include "spawn/Spawner.h"

#include <chrono>
#include <optional>

namespace maestro::host::http {

// /api/sessions: the original API's session records, spawning, and the terminal of a
// running session. A spawn for another node, and a terminal request (stop, input, resize,
// output, delete) for a session on another node, are forwarded to that node and its answer
// given as it is (docs/scale-out.md).
class SessionHandlers {
public:
    SessionHandlers(service::SessionService& sessions, spawn::Spawner& spawner,
                    cluster::Routing& routing, const cluster::PeerClient& peers)
        : sessions_(sessions), spawner_(spawner), routing_(routing), nodes_(routing, peers) {}

    // ?projectId=&taskId=&status=&active=true
    Response list(Request& request);
    Response get(Request& request);
    Response create(Request& request);
    Response update(Request& request);
    Response remove(Request& request);
    Response addTimeline(Request& request); // {type?, message, taskId?, metadata?}
    Response addEvent(Request& request);    // {type, data?}
    Response spawn(Request& request);
    Response stop(Request& request);
    Response input(Request& request);  // {"data":"…"}
    Response resize(Request& request); // {"cols":N,"rows":N}
    Response output(Request& request); // ?since=OFFSET&limit=BYTES
    Response claim(Request& request);  // {"pid":N} (optional)
    Response screen(Request& request);
    // {"activity":"needs_input"|"working"|"idle","reason":"…","source":"report"|"hook"}
    Response activity(Request& request);
    // GET /api/agents: the agent profiles a spawn may name.
    Response agents(Request& request);

private:
    service::SessionService& sessions_;
    spawn::Spawner& spawner_;
    cluster::Routing& routing_;
    NodeForwarder nodes_;
};

} // namespace maestro::host::http
