#pragma once

#include "domain/Worktree.h"
#include "json/Writer.h"

#include <cstdint>
#include <optional>
#include <string>

namespace maestro::domain {

class JsonInput;

struct Project {
    std::string id;
    std::string name;
    std::string workingDir;
    std::string description;
    // How sessions are isolated; unset: a worktree each when workingDir is in a git
    // repository at spawn time, else none (docs/worktrees.md).
    std::optional<Isolation> isolation;
    // The branch session worktrees start from and merge into; unset: the branch checked out
    // in workingDir at spawn time.
    std::optional<std::string> baseBranch;
    // The node its sessions run on — where workingDir exists (docs/scale-out.md); unset: any.
    std::optional<std::string> nodeId;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    std::int64_t version = 1;
};

// What a client may send to create a project (POST /api/projects).
struct ProjectDraft {
    std::string name;
    std::string workingDir;
    std::string description;
    std::optional<Isolation> isolation;
    std::optional<std::string> baseBranch;
    std::optional<std::string> nodeId;
};

// What a client may change (PUT or PATCH /api/projects/:id); absent fields stay as they are.
struct ProjectPatch {
    std::optional<std::string> name;
    std::optional<std::string> workingDir;
    std::optional<std::string> description;
    // Present: set it (null: back to the default).
    std::optional<std::optional<Isolation>> isolation;
    std::optional<std::optional<std::string>> baseBranch;
    std::optional<std::optional<std::string>> nodeId;
};

ProjectDraft parseProjectDraft(const JsonInput& body);
ProjectPatch parseProjectPatch(const JsonInput& body);
Project makeProject(ProjectDraft draft, std::int64_t now);
// Returns true when the patch changed something (and bumps version/updatedAt).
bool applyPatch(Project& project, const ProjectPatch& patch, std::int64_t now);

void writeJson(json::Writer& out, const Project& project);
std::string toJson(const Project& project);
// Reads back a project rendered by toJson (the store keeps that rendering as the row's document).
Project projectFromJson(std::string_view json);

} // namespace maestro::domain
