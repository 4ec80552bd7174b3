#include "store/TaskRepository.h"

#include <algorithm>
#include <limits>

namespace maestro::host::store {

using domain::Task;

namespace {

// Where a filter's count is kept in task_counts (migration 004).
std::pair<std::string, std::string> countScope(const TaskFilter& filter) {
    if (filter.parentId && *filter.parentId) return {"parent", **filter.parentId};
    if (filter.parentId) return {"top", filter.projectId.value_or("")};
    if (filter.projectId) return {"project", *filter.projectId};
    return {"all", ""};
}

} // namespace

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
    saveTimeline(task);
    saveDependencies(task, false);
}

void TaskRepository::update(const Task& task, const std::string& json) {
    db_.prepare("UPDATE tasks SET status = ?, sort_order = ?, version = ?, json = ? WHERE id = ?")
        .bind(1, domain::toString(task.status))
        .bind(2, task.order)
        .bind(3, task.version)
        .bind(4, json)
        .bind(5, task.id)
        .run();
    saveTimeline(task);
    saveDependencies(task, true);
}

void TaskRepository::saveTimeline(const Task& task) {
    auto unsaved = std::min(task.unsavedEntries, task.timeline.size());
    for (auto it = task.timeline.end() - static_cast<std::ptrdiff_t>(unsaved);
         it != task.timeline.end(); ++it)
        db_.prepare("INSERT INTO task_timeline (task_id, id, type, timestamp, message, session_id, "
                    "about_task_id, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, task.id)
            .bind(2, it->id)
            .bind(3, it->type)
            .bind(4, it->timestamp)
            .bind(5, it->message)
            .bind(6, it->sessionId)
            .bind(7, it->taskId)
            .bind(8, it->metadataJson)
            .run();
}

void TaskRepository::saveDependencies(const Task& task, bool replace) {
    if (replace)
        db_.prepare("DELETE FROM task_dependencies WHERE task_id = ?").bind(1, task.id).run();
    for (const auto& dependency : task.dependencies)
        db_.prepare("INSERT INTO task_dependencies (task_id, depends_on) VALUES (?, ?)")
            .bind(1, task.id)
            .bind(2, dependency)
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

bool TaskRepository::exists(const std::string& id) {
    auto query = db_.prepare("SELECT EXISTS (SELECT 1 FROM tasks WHERE id = ?)");
    query.bind(1, id).step();
    return query.integer(0) != 0;
}

TaskPage TaskRepository::list(const TaskFilter& filter, const Page& page) {
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
    // Each filter has an index in exactly this order (migration 004), so a page is a range of
    // it; a keyset cursor starts the range at the cursor's row.
    const char* order = siblings ? "sort_order, created_at, rowid" : "created_at, rowid";
    if (page.after)
        where.add("(" + std::string(order) + ") > (SELECT " + order + " FROM tasks WHERE id = ?)",
                  *page.after);

    TaskPage result;
    auto select = db_.prepare("SELECT json, status FROM tasks" + where.sql() + " ORDER BY " +
                              order + " LIMIT ? OFFSET ?");
    int index = where.bind(select);
    select.bind(index, page.limit).bind(index + 1, page.after ? 0 : page.offset);
    while (select.step()) {
        result.items.push_back(select.string(0));
        result.statuses.push_back(select.string(1));
    }
    auto known = page.totalFrom(result.items.size());
    result.total = known ? *known : count(filter);
    return result;
}

std::int64_t TaskRepository::count(const TaskFilter& filter) {
    auto [kind, scope] = countScope(filter);
    auto query =
        filter.status
            ? db_.prepare("SELECT COALESCE(SUM(n), 0) FROM task_counts "
                          "WHERE kind = ? AND scope = ? AND status = ?")
            : db_.prepare(
                  "SELECT COALESCE(SUM(n), 0) FROM task_counts WHERE kind = ? AND scope = ?");
    query.bind(1, kind).bind(2, scope);
    if (filter.status) query.bind(3, domain::toString(*filter.status));
    query.step();
    return query.integer(0);
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

std::vector<Task> TaskRepository::dependents(const std::string& id) {
    auto query = db_.prepare("SELECT t.json FROM task_dependencies d JOIN tasks t "
                             "ON t.id = d.task_id WHERE d.depends_on = ? ORDER BY t.rowid");
    query.bind(1, id);
    return tasksOf(query);
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
    auto query = db_.prepare("SELECT status, n FROM task_counts WHERE kind = ? AND scope = ?");
    query.bind(1, projectId ? "project" : "all").bind(2, projectId.value_or(""));
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

std::vector<BlockedTask>
TaskRepository::blockedSummaries(const std::optional<std::string>& projectId, std::int64_t limit) {
    // A top-level field of the stored JSON, as text (NULL for null): each engine spells it its
    // own way. Numbers come back as numbers on SQLite, as text on PostgreSQL (cast).
    const bool postgres = db_.backend() == Backend::Postgres;
    auto field = [postgres](const char* key) {
        return postgres ? std::string("(json::json ->> '") + key + "')"
                        : std::string("json_extract(json, '$.") + key + "')";
    };
    std::string sql = "SELECT id, project_id, parent_id, " + field("title") + ", " +
                      field("blockedReason") + ", " + field("updatedAt") +
                      (postgres ? "::bigint" : "") +
                      ", (SELECT t.timestamp FROM task_timeline t WHERE t.task_id = tasks.id AND "
                      "t.type = 'blocker' ORDER BY t.seq DESC LIMIT 1) FROM tasks WHERE ";
    sql += projectId ? "project_id = ? AND status = 'blocked' " : "status = 'blocked' ";
    sql += "ORDER BY created_at, rowid LIMIT ?";
    auto query = db_.prepare(sql);
    int index = 1;
    if (projectId) query.bind(index++, *projectId);
    query.bind(index, limit);
    std::vector<BlockedTask> tasks;
    while (query.step())
        tasks.push_back(
            {query.string(0), query.string(1), query.optionalString(2), query.string(3),
             query.optionalString(4), query.integer(5),
             query.isNull(6) ? std::nullopt : std::optional<std::int64_t>(query.integer(6))});
    return tasks;
}

std::optional<std::vector<domain::TimelineEntry>>
TaskRepository::timeline(const std::string& taskId, const std::optional<std::string>& before,
                         std::int64_t limit) {
    std::int64_t end = std::numeric_limits<std::int64_t>::max();
    if (before) {
        auto position =
            db_.prepare("SELECT seq FROM task_timeline WHERE task_id = ? AND id = ? LIMIT 1");
        position.bind(1, taskId).bind(2, *before);
        if (!position.step()) return std::nullopt;
        end = position.integer(0);
    }
    auto query = db_.prepare("SELECT id, type, timestamp, message, session_id, about_task_id, "
                             "metadata FROM task_timeline "
                             "WHERE task_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?");
    query.bind(1, taskId).bind(2, end).bind(3, limit);
    std::vector<domain::TimelineEntry> entries;
    while (query.step())
        entries.push_back({query.string(0), query.string(1), query.string(3),
                           query.optionalString(4), query.integer(2), query.optionalString(5),
                           query.optionalString(6)});
    std::reverse(entries.begin(), entries.end());
    return entries;
}

} // namespace maestro::host::store
