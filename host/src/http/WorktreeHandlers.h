#pragma once

#include "http/Exchange.h"
#include "service/ProjectService.h"
#include "worktree/WorktreeService.h"

namespace maestro::host::http {

// A session's worktree (docs/worktrees.md): its changes and diff, merging and discarding it;
// and the overlaps between a project's live sessions.
class WorktreeHandlers {
public:
    WorktreeHandlers(worktree::WorktreeService& worktrees, service::ProjectService& projects)
        : worktrees_(worktrees), projects_(projects) {}

    Response changes(Request& request); // GET /api/sessions/:id/changes
    Response diff(Request& request);    // GET /api/sessions/:id/diff[?path=]
    Response merge(Request& request); // POST /api/sessions/:id/merge {strategy?, message?, force?}
    Response discard(Request& request);  // POST /api/sessions/:id/discard {force?}
    Response overlaps(Request& request); // GET /api/projects/:id/overlaps

private:
    worktree::WorktreeService& worktrees_;
    service::ProjectService& projects_;
};

} // namespace maestro::host::http
