#include "store/TaskRepository.h"

#include <algorithm>

namespace maestro::host::store {

using domain::Task;

std::vector<Task> TaskRepository::tasksOf(Statement& query) {
    std::vector<Task> tasks;
    while (query.step())
        tasks.push_back(domain::taskFromJson(query.text(0)));
    return tasks;
}

void TaskRepository::insert(const Task& task, const std::string& json) {
    db_.prepare("INSERT INTO tasks (id, project_id, parent_id, status, sort_order, created_at, "
                "version, json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, task.id)
        .bind(2, task.projectId)
        .bind(3, task.parentId)
        .bind(4, domain::toString(task.status))
        .bind(5, task.order)
        .bind(6, task.createdAt)
        .bind(7, task.version)
        .bind(8, json)
        .run();
}

void TaskRepository::update(const Task& task, const std::string& json) {
    db_.prepare("UPDATE tasks SET status = ?, sort_order = ?, version = ?, json = ? WHERE id = ?")
        .bind(1, domain::toString(task.status))
        .bind(2, task.order)
        .bind(3, task.version)
        .bind(4, json)
        .bind(5, task.id)
        .run();
}

void TaskRepository::remove(const std::string& id) {
    db_.prepare("DELETE FROM tasks WHERE id = ?").bind(1, id).run();
}

std::optional<Task> TaskRepository::find(const std::string& id) {
    auto json = findJson(id);
    if (!json) return std::nullopt;
    return domain::taskFromJson(*json);
}

std::optional<std::string> TaskRepository::findJson(const std::string& id) {
    auto query = db_.prepare("SELECT json FROM tasks WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return query.string(0);
}

TaskPage TaskRepository::list(const TaskFilter& filter, Page page) {
    Where where;
    if (filter.projectId) where.add("project_id = ?", *filter.projectId);
    if (filter.status) where.add("status = ?", std::string(domain::toString(*filter.status)));
    bool siblings = false;
    if (filter.parentId) {
        if (*filter.parentId) {
            where.add("parent_id = ?", **filter.parentId);
            siblings = true;
        } else {
            where.add("parent_id IS NULL");
        }
    }

    TaskPage result;
    auto select = db_.prepare(
        "SELECT json, status FROM tasks" + where.sql() +
        (siblings ? " ORDER BY sort_order, created_at, rowid" : " ORDER BY created_at, rowid") +
        " LIMIT ? OFFSET ?");
    int index = where.bind(select);
    select.bind(index, page.limit).bind(index + 1, page.offset);
    while (select.step()) {
        result.items.push_back(select.string(0));
        result.statuses.push_back(select.string(1));
    }
    result.total = where.total(db_, "tasks", page, result.items.size());
    return result;
}

std::vector<Task> TaskRepository::children(const std::string& parentId) {
    auto query = db_.prepare(
        "SELECT json FROM tasks WHERE parent_id = ? ORDER BY sort_order, created_at, rowid");
    query.bind(1, parentId);
    return tasksOf(query);
}

std::vector<Task> TaskRepository::subtreeDeepestFirst(const std::string& id) {
    auto query =
        db_.prepare("WITH RECURSIVE subtree (id, depth) AS ("
                    "  SELECT id, 0 FROM tasks WHERE id = ?"
                    "  UNION ALL"
                    "  SELECT t.id, s.depth + 1 FROM tasks t JOIN subtree s ON t.parent_id = s.id)"
                    " SELECT t.json FROM subtree s JOIN tasks t ON t.id = s.id"
                    " ORDER BY s.depth DESC, t.sort_order DESC");
    query.bind(1, id);
    return tasksOf(query);
}

std::vector<Task> TaskRepository::dependents(const std::string& projectId, const std::string& id) {
    auto query =
        db_.prepare("SELECT json FROM tasks WHERE project_id = ? AND id <> ? AND json LIKE ?");
    query.bind(1, projectId).bind(2, id).bind(3, "%\"" + id + "\"%");
    auto candidates = tasksOf(query);
    std::erase_if(candidates, [&id](const Task& task) {
        return std::find(task.dependencies.begin(), task.dependencies.end(), id) ==
               task.dependencies.end();
    });
    return candidates;
}

std::int64_t TaskRepository::nextOrder(const std::string& projectId,
                                       const std::optional<std::string>& parentId) {
    // ORDER BY … LIMIT 1 rather than MAX(): SQLite answers it from the end of an index
    // instead of scanning every sibling.
    auto query =
        parentId
            ? db_.prepare("SELECT sort_order FROM tasks WHERE parent_id = ? ORDER BY sort_order "
                          "DESC LIMIT 1")
            : db_.prepare("SELECT sort_order FROM tasks WHERE project_id = ? AND parent_id IS NULL "
                          "ORDER BY sort_order DESC LIMIT 1");
    query.bind(1, parentId ? *parentId : projectId);
    return query.step() ? query.integer(0) + 1 : 0;
}

std::vector<std::pair<std::string, std::int64_t>>
TaskRepository::countByStatus(const std::optional<std::string>& projectId) {
    auto query =
        projectId
            ? db_.prepare("SELECT status, COUNT(*) FROM tasks WHERE project_id = ? GROUP BY status")
            : db_.prepare("SELECT status, COUNT(*) FROM tasks GROUP BY status");
    if (projectId) query.bind(1, *projectId);
    std::vector<std::pair<std::string, std::int64_t>> result;
    while (query.step())
        result.emplace_back(query.string(0), query.integer(1));
    return result;
}

std::string TaskRepository::statusOf(const std::string& id) {
    auto query = db_.prepare("SELECT status FROM tasks WHERE id = ?");
    query.bind(1, id);
    return query.step() ? query.string(0) : std::string();
}

std::vector<Task> TaskRepository::blocked(const std::optional<std::string>& projectId,
                                          std::int64_t limit) {
    auto query =
        projectId
            ? db_.prepare("SELECT json FROM tasks WHERE project_id = ? AND status = 'blocked' "
                          "ORDER BY created_at, rowid LIMIT ?")
            : db_.prepare("SELECT json FROM tasks WHERE status = 'blocked' "
                          "ORDER BY created_at, rowid LIMIT ?");
    int index = 1;
    if (projectId) query.bind(index++, *projectId);
    query.bind(index, limit);
    return tasksOf(query);
}

} // namespace maestro::host::store
