#include "store/TaskRepository.h"

#include <Poco/Data/Statement.h>

namespace maestro::host::store {

using namespace Poco::Data::Keywords;
using domain::Task;

namespace {

std::vector<Task> parseAll(const std::vector<std::string>& rows) {
    std::vector<Task> tasks;
    tasks.reserve(rows.size());
    for (const auto& json : rows) tasks.push_back(domain::taskFromJson(json));
    return tasks;
}

Poco::Nullable<std::string> nullableParent(const Task& task) {
    if (task.parentId) return *task.parentId;
    return {};
}

} // namespace

void TaskRepository::insert(const Task& task, const std::string& json) {
    auto parent = nullableParent(task);
    std::string status{domain::toString(task.status)};
    session_ << "INSERT INTO tasks (id, project_id, parent_id, status, sort_order, created_at, "
                "version, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        useRef(task.id), useRef(task.projectId), use(parent), use(status), useRef(task.order),
        useRef(task.createdAt), useRef(task.version), useRef(json), now;
}

void TaskRepository::update(const Task& task, const std::string& json) {
    std::string status{domain::toString(task.status)};
    session_ << "UPDATE tasks SET status = ?, sort_order = ?, version = ?, json = ? WHERE id = ?",
        use(status), useRef(task.order), useRef(task.version), useRef(json), useRef(task.id), now;
}

void TaskRepository::remove(const std::string& id) {
    session_ << "DELETE FROM tasks WHERE id = ?", useRef(id), now;
}

std::optional<Task> TaskRepository::find(const std::string& id) {
    auto json = findJson(id);
    if (!json) return std::nullopt;
    return domain::taskFromJson(*json);
}

std::optional<std::string> TaskRepository::findJson(const std::string& id) {
    std::vector<std::string> rows;
    session_ << "SELECT json FROM tasks WHERE id = ?", useRef(id), into(rows), now;
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

TaskPage TaskRepository::list(const TaskFilter& filter, Page page) {
    std::string where = " WHERE 1 = 1";
    std::vector<std::string> args;
    if (filter.projectId) {
        where += " AND project_id = ?";
        args.push_back(*filter.projectId);
    }
    if (filter.status) {
        where += " AND status = ?";
        args.emplace_back(domain::toString(*filter.status));
    }
    bool siblings = false;
    if (filter.parentId) {
        if (*filter.parentId) {
            where += " AND parent_id = ?";
            args.push_back(**filter.parentId);
            siblings = true;
        } else {
            where += " AND parent_id IS NULL";
        }
    }

    TaskPage result;
    Poco::Data::Statement select(session_);
    select << "SELECT json, status FROM tasks" + where +
                  (siblings ? " ORDER BY sort_order, created_at, rowid"
                            : " ORDER BY created_at, rowid") +
                  " LIMIT ? OFFSET ?";
    for (const auto& arg : args) select, useRef(arg);
    select, useRef(page.limit), useRef(page.offset), into(result.items), into(result.statuses);
    select.execute();

    Poco::Data::Statement count(session_);
    count << "SELECT COUNT(*) FROM tasks" + where;
    for (const auto& arg : args) count, useRef(arg);
    count, into(result.total);
    count.execute();
    return result;
}

std::vector<Task> TaskRepository::children(const std::string& parentId) {
    std::vector<std::string> rows;
    session_ << "SELECT json FROM tasks WHERE parent_id = ? ORDER BY sort_order, created_at, rowid",
        useRef(parentId), into(rows), now;
    return parseAll(rows);
}

std::vector<Task> TaskRepository::subtreeDeepestFirst(const std::string& id) {
    std::vector<std::string> rows;
    session_ << "WITH RECURSIVE subtree (id, depth) AS ("
                "  SELECT id, 0 FROM tasks WHERE id = ?"
                "  UNION ALL"
                "  SELECT t.id, s.depth + 1 FROM tasks t JOIN subtree s ON t.parent_id = s.id)"
                " SELECT t.json FROM subtree s JOIN tasks t ON t.id = s.id"
                " ORDER BY s.depth DESC, t.sort_order DESC",
        useRef(id), into(rows), now;
    return parseAll(rows);
}

std::vector<Task> TaskRepository::dependents(const std::string& projectId, const std::string& id) {
    std::vector<std::string> rows;
    std::string pattern = "%\"" + id + "\"%";
    session_ << "SELECT json FROM tasks WHERE project_id = ? AND id <> ? AND json LIKE ?",
        useRef(projectId), useRef(id), use(pattern), into(rows), now;
    std::vector<Task> result;
    for (auto& task : parseAll(rows)) {
        const auto& deps = task.dependencies;
        if (std::find(deps.begin(), deps.end(), id) != deps.end()) result.push_back(std::move(task));
    }
    return result;
}

std::int64_t TaskRepository::nextOrder(const std::string& projectId,
                                       const std::optional<std::string>& parentId) {
    std::int64_t next = 0;
    if (parentId)
        session_ << "SELECT COALESCE(MAX(sort_order) + 1, 0) FROM tasks WHERE parent_id = ?",
            useRef(*parentId), into(next), now;
    else
        session_ << "SELECT COALESCE(MAX(sort_order) + 1, 0) FROM tasks "
                    "WHERE project_id = ? AND parent_id IS NULL",
            useRef(projectId), into(next), now;
    return next;
}

std::vector<std::pair<std::string, std::int64_t>>
TaskRepository::countByStatus(const std::optional<std::string>& projectId) {
    std::vector<std::string> statuses;
    std::vector<std::int64_t> counts;
    if (projectId)
        session_ << "SELECT status, COUNT(*) FROM tasks WHERE project_id = ? GROUP BY status",
            useRef(*projectId), into(statuses), into(counts), now;
    else
        session_ << "SELECT status, COUNT(*) FROM tasks GROUP BY status", into(statuses),
            into(counts), now;
    std::vector<std::pair<std::string, std::int64_t>> result;
    for (std::size_t i = 0; i < statuses.size(); ++i) result.emplace_back(statuses[i], counts[i]);
    return result;
}

std::vector<Task> TaskRepository::blocked(const std::optional<std::string>& projectId,
                                          std::int64_t limit) {
    std::vector<std::string> rows;
    if (projectId)
        session_ << "SELECT json FROM tasks WHERE project_id = ? AND status = 'blocked' "
                    "ORDER BY created_at, rowid LIMIT ?",
            useRef(*projectId), useRef(limit), into(rows), now;
    else
        session_ << "SELECT json FROM tasks WHERE status = 'blocked' ORDER BY created_at, rowid "
                    "LIMIT ?",
            useRef(limit), into(rows), now;
    return parseAll(rows);
}

} // namespace maestro::host::store
