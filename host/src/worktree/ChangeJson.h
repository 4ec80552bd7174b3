#pragma once

#include "domain/Session.h"
#include "git/Changes.h"
#include "json/Writer.h"
#include "worktree/Overlaps.h"

#include <cstddef>
#include <limits>
#include <string>

namespace maestro::host::worktree {

// The fields of a change set inside an object the caller opened: sessionId, projectId,
// taskIds, branch, base, head, ahead, behind, additions, deletions, fileCount and files
// [{path, status, additions, deletions, binary, uncommitted}] — at most maxFiles of them, with
// "truncated": true when there were more.
void writeChangeFields(json::Writer& out, const domain::Session& session,
                       const git::ChangeSet& changes,
                       std::size_t maxFiles = std::numeric_limits<std::size_t>::max());

// {projectId, sessionIds, taskIds, paths}: the payload of project:overlap and an entry of
// GET /api/projects/:id/overlaps. Empty paths: the overlap has ended.
std::string overlapJson(const std::string& projectId, const Overlap& overlap);

} // namespace maestro::host::worktree
