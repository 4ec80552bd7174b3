#pragma once

#include "http/Exchange.h"
#include "service/SessionService.h"
#include "spawn/Spawner.h"

namespace maestro::host::http {

// /api/sessions: the original API's session records, spawning, and the terminal of a
// running session.
class SessionHandlers {
public:
    SessionHandlers(service::SessionService& sessions, spawn::Spawner& spawner)
        : sessions_(sessions), spawner_(spawner) {}

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
};

} // namespace maestro::host::http
