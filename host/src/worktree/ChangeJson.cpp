#include "worktree/ChangeJson.h"

#include "json/Utf8.h"

namespace maestro::host::worktree {

void writeChangeFields(json::Writer& out, const domain::Session& session,
                       const git::ChangeSet& changes, std::size_t maxFiles) {
    std::int64_t additions = 0, deletions = 0;
    for (const auto& file : changes.files) {
        additions += file.additions;
        deletions += file.deletions;
    }
    out.field("sessionId", session.id)
        .field("projectId", session.projectId)
        .stringArray("taskIds", session.taskIds)
        .field("branch", changes.branch)
        .field("base", changes.base)
        .field("head", changes.head)
        .field("ahead", changes.ahead)
        .field("behind", changes.behind)
        .field("additions", additions)
        .field("deletions", deletions)
        .field("fileCount", changes.files.size())
        .key("files")
        .beginArray();
    std::size_t written = 0;
    for (const auto& file : changes.files) {
        if (written++ == maxFiles) break;
        out.beginObject()
            .field("path", json::sanitizeUtf8(file.path))
            .field("status", file.status)
            .field("additions", file.additions)
            .field("deletions", file.deletions)
            .field("binary", file.binary)
            .field("uncommitted", file.uncommitted)
            .endObject();
    }
    out.endArray();
    if (changes.files.size() > maxFiles) out.field("truncated", true);
}

std::string overlapJson(const std::string& projectId, const Overlap& overlap) {
    json::Writer out;
    out.beginObject()
        .field("projectId", projectId)
        .stringArray("sessionIds", overlap.sessionIds)
        .stringArray("taskIds", overlap.taskIds)
        .key("paths")
        .beginArray();
    for (const auto& path : overlap.paths)
        out.value(json::sanitizeUtf8(path));
    out.endArray().endObject();
    return out.take();
}

} // namespace maestro::host::worktree
