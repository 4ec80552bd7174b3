#include "domain/Project.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "domain/JsonInput.h"
#include "domain/StoredJson.h"

namespace maestro::domain {

namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxPath = 4096;
constexpr std::size_t kMaxDescription = 100 * 1024;

std::string checkedName(std::string name) {
    if (name.find_first_not_of(" \t\r\n") == std::string::npos)
        throw ApiError::invalidField("name", "must not be empty");
    return name;
}

// "isolation": "worktree", "none" or null.
std::optional<std::optional<Isolation>> isolationOf(const JsonInput& body) {
    auto value = body.optNullableString("isolation", 32);
    if (!value) return std::nullopt;
    if (!*value) return std::optional<Isolation>{};
    auto isolation = parseIsolation(**value);
    if (!isolation)
        throw ApiError::invalidField("isolation", "must be \"worktree\", \"none\" or null");
    return isolation;
}

// "baseBranch": a branch name or null.
std::optional<std::optional<std::string>> baseBranchOf(const JsonInput& body) {
    auto value = body.optNullableString("baseBranch", 256);
    if (!value || !*value) return value;
    if (!isValidBranchName(**value))
        throw ApiError::invalidField("baseBranch",
                                     "must be a branch name (letters, digits, . _ - /)");
    return value;
}

// "nodeId": a node's id or null.
std::optional<std::optional<std::string>> nodeIdOf(const JsonInput& body) {
    auto value = body.optNullableString("nodeId", 256);
    if (!value || !*value) return value;
    if (!isValidNodeId(**value))
        throw ApiError::invalidField("nodeId", "is not a node id ([A-Za-z0-9._:-])");
    return value;
}

} // namespace

ProjectDraft parseProjectDraft(const JsonInput& body) {
    ProjectDraft draft;
    draft.name = checkedName(body.requiredString("name", kMaxName));
    draft.workingDir = body.optString("workingDir", kMaxPath).value_or("");
    draft.description = body.optString("description", kMaxDescription).value_or("");
    draft.isolation = isolationOf(body).value_or(std::nullopt);
    draft.baseBranch = baseBranchOf(body).value_or(std::nullopt);
    draft.nodeId = nodeIdOf(body).value_or(std::nullopt);
    return draft;
}

ProjectPatch parseProjectPatch(const JsonInput& body) {
    ProjectPatch patch;
    if (auto name = body.optString("name", kMaxName)) patch.name = checkedName(std::move(*name));
    patch.workingDir = body.optString("workingDir", kMaxPath);
    patch.description = body.optString("description", kMaxDescription);
    patch.isolation = isolationOf(body);
    patch.baseBranch = baseBranchOf(body);
    patch.nodeId = nodeIdOf(body);
    return patch;
}

Project makeProject(ProjectDraft draft, std::int64_t now) {
    Project project;
    project.id = newId("proj");
    project.name = std::move(draft.name);
    project.workingDir = std::move(draft.workingDir);
    project.description = std::move(draft.description);
    project.isolation = draft.isolation;
    project.baseBranch = std::move(draft.baseBranch);
    project.nodeId = std::move(draft.nodeId);
    project.createdAt = project.updatedAt = now;
    project.version = 1;
    return project;
}

bool applyPatch(Project& project, const ProjectPatch& patch, std::int64_t now) {
    bool changed = false;
    auto assign = [&changed](std::string& field, const std::optional<std::string>& value) {
        if (value && *value != field) {
            field = *value;
            changed = true;
        }
    };
    assign(project.name, patch.name);
    assign(project.workingDir, patch.workingDir);
    assign(project.description, patch.description);
    if (patch.isolation && *patch.isolation != project.isolation) {
        project.isolation = *patch.isolation;
        changed = true;
    }
    if (patch.baseBranch && *patch.baseBranch != project.baseBranch) {
        project.baseBranch = *patch.baseBranch;
        changed = true;
    }
    if (patch.nodeId && *patch.nodeId != project.nodeId) {
        project.nodeId = *patch.nodeId;
        changed = true;
    }
    if (changed) {
        project.updatedAt = now;
        ++project.version;
    }
    return changed;
}

void writeJson(json::Writer& out, const Project& project) {
    out.beginObject()
        .field("id", project.id)
        .field("name", project.name)
        .field("workingDir", project.workingDir)
        .field("description", project.description)
        .key("isolation");
    if (project.isolation)
        out.value(toString(*project.isolation));
    else
        out.null();
    out.field("baseBranch", project.baseBranch)
        .field("nodeId", project.nodeId)
        .field("createdAt", project.createdAt)
        .field("updatedAt", project.updatedAt)
        .field("version", project.version)
        .endObject();
}

std::string toJson(const Project& project) {
    json::Writer out(256);
    writeJson(out, project);
    return out.take();
}

Project projectFromJson(std::string_view json) {
    StoredJson stored(json);
    Project project;
    project.id = stored.string("id");
    project.name = stored.string("name");
    project.workingDir = stored.string("workingDir");
    project.description = stored.string("description");
    if (auto isolation = stored.optionalString("isolation"))
        project.isolation = parseIsolation(*isolation);
    project.baseBranch = stored.optionalString("baseBranch");
    project.nodeId = stored.optionalString("nodeId");
    project.createdAt = stored.integer("createdAt");
    project.updatedAt = stored.integer("updatedAt");
    project.version = stored.integer("version");
    return project;
}

} // namespace maestro::domain
