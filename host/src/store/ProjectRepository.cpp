#include "store/ProjectRepository.h"

#include <Poco/Data/Statement.h>

namespace maestro::host::store {

using namespace Poco::Data::Keywords;

void ProjectRepository::insert(const domain::Project& project, const std::string& json) {
    session_ << "INSERT INTO projects (id, created_at, version, json) VALUES (?, ?, ?, ?)",
        useRef(project.id), useRef(project.createdAt), useRef(project.version), useRef(json), now;
}

void ProjectRepository::update(const domain::Project& project, const std::string& json) {
    session_ << "UPDATE projects SET version = ?, json = ? WHERE id = ?", useRef(project.version),
        useRef(json), useRef(project.id), now;
}

void ProjectRepository::remove(const std::string& id) {
    session_ << "DELETE FROM projects WHERE id = ?", useRef(id), now;
}

std::optional<domain::Project> ProjectRepository::find(const std::string& id) {
    auto json = findJson(id);
    if (!json) return std::nullopt;
    return domain::projectFromJson(*json);
}

std::optional<std::string> ProjectRepository::findJson(const std::string& id) {
    std::vector<std::string> rows;
    session_ << "SELECT json FROM projects WHERE id = ?", useRef(id), into(rows), now;
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

JsonPage ProjectRepository::list(Page page) {
    JsonPage result;
    session_ << "SELECT json FROM projects ORDER BY created_at, rowid LIMIT ? OFFSET ?",
        useRef(page.limit), useRef(page.offset), into(result.items), now;
    session_ << "SELECT COUNT(*) FROM projects", into(result.total), now;
    return result;
}

bool ProjectRepository::hasTasks(const std::string& id) {
    int found = 0;
    session_ << "SELECT EXISTS (SELECT 1 FROM tasks WHERE project_id = ?)", useRef(id), into(found),
        now;
    return found != 0;
}

} // namespace maestro::host::store
