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
struct TaskPage : JsonPage {
    std::vector<std::string> statuses;
};

class TaskRepository {
public:
    explicit TaskRepository(Connection& connection) : db_(connection) {}

    void insert(const domain::Task& task, const std::string& json);
    void update(const domain::Task& task, const std::string& json);
    void remove(const std::string& id);

    std::optional<domain::Task> find(const std::string& id);
    std::optional<std::string> findJson(const std::string& id);
    TaskPage list(const TaskFilter& filter, Page page);
    std::vector<domain::Task> children(const std::string& parentId);
    // The task and everything below it, deepest first (the order they can be deleted in).
    std::vector<domain::Task> subtreeDeepestFirst(const std::string& id);
    // Tasks of the project whose dependencies name this id.
    std::vector<domain::Task> dependents(const std::string& projectId, const std::string& id);
    std::int64_t nextOrder(const std::string& projectId,
                           const std::optional<std::string>& parentId);

    std::vector<std::pair<std::string, std::int64_t>>
    countByStatus(const std::optional<std::string>& projectId);
    // The stored status of a task ("" when there is none).
    std::string statusOf(const std::string& id);
    std::vector<domain::Task> blocked(const std::optional<std::string>& projectId,
                                      std::int64_t limit);

private:
    std::vector<domain::Task> tasksOf(Statement& query);

    Connection& db_;
};

} // namespace maestro::host::store
