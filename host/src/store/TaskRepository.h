#pragma once

#include "domain/Task.h"
#include "store/Connection.h"
#include "store/Paging.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace maestro::host::store {

struct TaskFilter {
    std::optional<std::string> projectId;
    std::optional<domain::TaskStatus> status;
    // Absent: any parent. Engaged but empty: top-level tasks only. Engaged: that task's
    // children, in their sibling order.
    std::optional<std::optional<std::string>> parentId;
};

// A page of rendered tasks plus each one's status (the subtask view derives "completed").
// A blocked task, as the status overview shows it.
struct BlockedTask {
    std::string id;
    std::string projectId;
    std::optional<std::string> parentId;
    std::string title;
    std::optional<std::string> blockedReason;
    std::int64_t updatedAt = 0;
    std::optional<std::int64_t> blockedAt; // its newest blocker timeline entry, if any
};

struct TaskPage : JsonPage {
    std::vector<std::string> statuses;
};

// Tasks, their timelines and dependencies. A task row keeps its rendered JSON (with the inline
// window of its timeline); every timeline entry also has a row of its own in task_timeline.
// The count of tasks per project, parent and status is kept by triggers (migration 004), so
// totals are read, not counted.
class TaskRepository {
public:
    explicit TaskRepository(Connection& connection) : db_(connection) {}

    // Both also store the task's unsaved timeline entries and its dependencies.
    void insert(const domain::Task& task, const std::string& json);
    void update(const domain::Task& task, const std::string& json);
    void remove(const std::string& id);

    std::optional<domain::Task> find(const std::string& id);
    std::optional<std::string> findJson(const std::string& id);
    bool exists(const std::string& id);
    // With page.after, the tasks after that one in list order; it must exist (exists()).
    TaskPage list(const TaskFilter& filter, const Page& page);
    std::int64_t count(const TaskFilter& filter);
    std::vector<domain::Task> children(const std::string& parentId);
    // The task and everything below it, deepest first (the order they can be deleted in).
    std::vector<domain::Task> subtreeDeepestFirst(const std::string& id);
    // The tasks whose dependencies name this id.
    std::vector<domain::Task> dependents(const std::string& id);
    std::int64_t nextOrder(const std::string& projectId,
                           const std::optional<std::string>& parentId);

    // Task counts per status: of a project, or of every task.
    std::vector<std::pair<std::string, std::int64_t>>
    countByStatus(const std::optional<std::string>& projectId);
    // The stored status of a task ("" when there is none).
    std::string statusOf(const std::string& id);
    // The oldest `limit` blocked tasks (of a project, or of all), as GET /api/status and the
    // attention inbox list them: the task's columns, three fields read from its stored JSON by
    // the database and the time of its newest blocker entry — far less than parsing each task.
    std::vector<BlockedTask> blockedSummaries(const std::optional<std::string>& projectId,
                                              std::int64_t limit);

    // Up to `limit` timeline entries of a task, oldest first: the newest ones, or those just
    // before the entry `before` (nullopt when the task has no such entry).
    std::optional<std::vector<domain::TimelineEntry>>
    timeline(const std::string& taskId, const std::optional<std::string>& before,
             std::int64_t limit);

private:
    std::vector<domain::Task> tasksOf(Statement& query);
    void saveTimeline(const domain::Task& task);
    void saveDependencies(const domain::Task& task, bool replace);

    Connection& db_;
};

} // namespace maestro::host::store
