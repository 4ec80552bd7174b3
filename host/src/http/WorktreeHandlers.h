#pragma once

#include "http/Exchange.h"
#include "http/NodeForwarder.h"
#include "service/ProjectService.h"
#include "worktree/WorktreeService.h"

namespace maestro::host::http {

// A session's worktree (docs/worktrees.md): its changes and diff, merging and discarding it;
// and the overlaps between a project's live sessions. The worktree is on the disk of the node
// that runs the session: a request for a session of another node is answered by that node.
class WorktreeHandlers {
public:
    WorktreeHandlers(worktree::WorktreeService& worktrees, service::ProjectService& projects,
                     cluster::Routing& routing, const cluster::PeerClient& peers)
        : worktrees_(worktrees), projects_(projects), nodes_(routing, peers) {}

    Response changes(Request& request); // GET /api/sessions/:id/changes
    Response diff(Request& request);    // GET /api/sessions/:id/diff[?path=]
    Response merge(Request& request); // POST /api/sessions/:id/merge {strategy?, message?, force?}
    Response discard(Request& request);  // POST /api/sessions/:id/discard {force?}
    Response overlaps(Request& request); // GET /api/projects/:id/overlaps

private:
    worktree::WorktreeService& worktrees_;
    service::ProjectService& projects_;
    NodeForwarder nodes_;
};

} // namespace maestro::host::http
