#pragma once

#include "domain/Task.h"
#include "service/EventRecorder.h"
#include "service/JsonCache.h"
#include "service/Precondition.h"
#include "store/Database.h"
#include "store/TaskRepository.h"

#include <string>
#include <vector>

namespace maestro::host::service {

// Tasks and their subtask view. A subtask is a task with a parent: it has its own row, its own
// version and its own events, so changing one never rewrites a sibling or the parent.
// Every change to a task with a parent announces both task:* (the task) and subtask:* (the
// {taskId, subtask} view the original clients listen for).
class TaskService {
public:
    // On PostgreSQL other servers write tasks too, and a copy in memory could be older than
    // their last commit: the cache is off (capacity 0) there.
    TaskService(store::Database& db, EventRecorder& events)
        : db_(db), events_(events),
          cache_(db.backend() == store::Backend::Sqlite ? kCacheBytes : 0) {}

    store::TaskPage list(const store::TaskFilter& filter, const store::Page& page);
    // From memory when the task is there, else from the database (and kept in memory).
    std::string get(const std::string& id);
    // From memory only: nullopt when the task is not there (it may still exist).
    std::optional<std::string> cached(const std::string& id) { return cache_.find(id); }
    domain::Task find(const std::string& id); // throws 404
    std::string create(domain::TaskDraft draft);
    std::string update(const std::string& id, const domain::TaskPatch& patch, IfMatch ifMatch);
    // Deletes the task and everything below it, and drops it from other tasks' dependencies.
    void remove(const std::string& id, IfMatch ifMatch);
    std::string addTimeline(const std::string& id, domain::TimelineDraft entry);
    // The same inside the caller's transaction (a session's report noted on its task).
    void addTimeline(store::Transaction& tx, const std::string& id, domain::TimelineDraft entry);
    store::TaskPage children(const std::string& id, const store::Page& page);
    // The task's timeline entries, oldest first: the newest `limit`, or those before the entry
    // `before`; total is the whole timeline's length.
    store::JsonPage timeline(const std::string& id, const std::optional<std::string>& before,
                             std::int64_t limit);

    store::JsonPage listSubtasks(const std::string& taskId, const store::Page& page);
    std::string createSubtask(const std::string& taskId, domain::TaskDraft draft);
    std::string getSubtask(const std::string& taskId, const std::string& subtaskId);
    std::string updateSubtask(const std::string& taskId, const std::string& subtaskId,
                              const domain::TaskPatch& patch, IfMatch ifMatch);
    void removeSubtask(const std::string& taskId, const std::string& subtaskId, IfMatch ifMatch);
    // orderedIds must name every subtask of the task exactly once. Only the subtasks whose
    // position changes are written. Returns the subtask views in their new order.
    std::vector<std::string> reorderSubtasks(const std::string& taskId,
                                             const std::vector<std::string>& orderedIds);

    // Sets the task's sessionStatus inside the caller's transaction, naming the session; a task
    // deleted meanwhile is skipped.
    void setSessionStatus(store::Transaction& tx, const std::string& taskId,
                          const std::string& sessionStatus, const std::string& sessionId);

    // Notes, inside the caller's transaction, that a session started (listing it in the
    // task's sessionIds) or ended work on the task. A task deleted meanwhile is skipped.
    void recordSession(store::Transaction& tx, const std::string& taskId,
                       const std::string& sessionId, bool started, std::string message);

private:
    enum class Change { Created, Updated };
    // A task as written, with its JSON (the rendering the row, the cache and the events got).
    struct Saved {
        domain::Task task;
        std::string json;
    };
    domain::Task findIn(store::TaskRepository& tasks, const std::string& id);
    domain::Task findSubtaskIn(store::TaskRepository& tasks, const std::string& taskId,
                               const std::string& subtaskId);
    Saved insert(store::Transaction& tx, domain::TaskDraft draft);
    // Stores the task (413 when its JSON would pass limits::kMaxStoredJson) with its unsaved
    // timeline entries, and records its events.
    std::string save(store::Transaction& tx, domain::Task& task, Change change);
    // 400 when a keyset cursor names no task.
    static void checkCursor(store::TaskRepository& tasks, const store::Page& page);
    Saved patch(store::Transaction& tx, domain::Task task, const domain::TaskPatch& patch,
                IfMatch ifMatch);
    void removeSubtree(store::Transaction& tx, const domain::Task& root, IfMatch ifMatch);
    void checkDependencies(store::TaskRepository& tasks, const domain::Task& task);

    store::Database& db_;
    EventRecorder& events_;
    static constexpr std::size_t kCacheBytes = 32u << 20;
    JsonCache cache_; // every task written goes through save() or removeSubtree()
};

} // namespace maestro::host::service
