#include "store/ProjectRepository.h"

namespace maestro::host::store {

void ProjectRepository::insert(const domain::Project& project, const std::string& json) {
    db_.prepare("INSERT INTO projects (id, created_at, version, json) VALUES (?, ?, ?, ?)")
        .bind(1, project.id)
        .bind(2, project.createdAt)
        .bind(3, project.version)
        .bind(4, json)
        .run();
}

void ProjectRepository::update(const domain::Project& project, const std::string& json) {
    db_.prepare("UPDATE projects SET version = ?, json = ? WHERE id = ?")
        .bind(1, project.version)
        .bind(2, json)
        .bind(3, project.id)
        .run();
}

void ProjectRepository::remove(const std::string& id) {
    db_.prepare("DELETE FROM projects WHERE id = ?").bind(1, id).run();
}

std::optional<domain::Project> ProjectRepository::find(const std::string& id) {
    auto json = findJson(id);
    if (!json) return std::nullopt;
    return domain::projectFromJson(*json);
}

std::optional<std::string> ProjectRepository::findJson(const std::string& id) {
    auto query = db_.prepare("SELECT json FROM projects WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return query.string(0);
}

JsonPage ProjectRepository::list(Page page) {
    JsonPage result;
    auto query =
        db_.prepare("SELECT json FROM projects ORDER BY created_at, rowid LIMIT ? OFFSET ?");
    query.bind(1, page.limit).bind(2, page.offset);
    while (query.step())
        result.items.push_back(query.string(0));
    result.total = Where().total(db_, "projects", page, result.items.size());
    return result;
}

bool ProjectRepository::hasTasks(const std::string& id) {
    auto query = db_.prepare("SELECT EXISTS (SELECT 1 FROM tasks WHERE project_id = ?)");
    query.bind(1, id).step();
    return query.integer(0) != 0;
}

} // namespace maestro::host::store
