#pragma once

#include "http/Exchange.h"
#include "spawn/Briefs.h"

namespace maestro::host::http {

// GET /api/tasks/:id/brief?role=&sessionId=: the brief a session of the role gets for the task,
// rendered by the server from the skills' templates (spawn/Briefs.h).
class BriefHandlers {
public:
    explicit BriefHandlers(const spawn::Briefs& briefs) : briefs_(briefs) {}

    Response get(Request& request);

private:
    const spawn::Briefs& briefs_;
};

} // namespace maestro::host::http
