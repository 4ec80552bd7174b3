#include "service/TaskService.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "domain/Limits.h"
#include "json/Writer.h"
#include "service/AttentionService.h"
#include "store/ProjectRepository.h"

#include <algorithm>
#include <set>

namespace maestro::host::service {

using domain::ApiError;
using domain::Task;
using store::TaskRepository;
namespace events = domain::events;

namespace {

// The subtask view of a task whose JSON was just rendered, without parsing it again.
std::string subtaskView(const Task& task, const std::string& json) {
    return domain::toSubtaskJson(json, *task.parentId,
                                 task.status == domain::TaskStatus::Completed);
}

std::string subtaskPayload(const Task& task, const std::string& json) {
    json::Writer out(json.size() + 128);
    out.beginObject()
        .field("taskId", *task.parentId)
        .key("subtask")
        .raw(subtaskView(task, json))
        .endObject();
    return out.take();
}

std::string deletedTaskPayload(const Task& task) {
    json::Writer out;
    out.beginObject()
        .field("id", task.id)
        .field("projectId", task.projectId)
        .field("parentId", task.parentId)
        .endObject();
    return out.take();
}

std::string deletedSubtaskPayload(const Task& task) {
    json::Writer out;
    out.beginObject().field("taskId", *task.parentId).field("subtaskId", task.id).endObject();
    return out.take();
}

store::JsonPage asSubtaskViews(store::TaskPage page, const std::string& parentId) {
    store::JsonPage views;
    views.total = page.total;
    views.items.reserve(page.items.size());
    for (std::size_t i = 0; i < page.items.size(); ++i)
        views.items.push_back(
            domain::toSubtaskJson(page.items[i], parentId, page.statuses[i] == "completed"));
    return views;
}

} // namespace

store::TaskPage TaskService::list(const store::TaskFilter& filter, const store::Page& page) {
    return db_.read([&](store::Connection& connection) {
        TaskRepository tasks(connection);
        checkCursor(tasks, page);
        return tasks.list(filter, page);
    });
}

void TaskService::checkCursor(TaskRepository& tasks, const store::Page& page) {
    if (page.after && !tasks.exists(*page.after))
        throw ApiError::badRequest("invalid_query",
                                   "after names no task (deleted since?): page again from the "
                                   "start, or from the last task of the page before");
}

std::string TaskService::get(const std::string& id) {
    if (auto json = cache_.find(id)) return std::move(*json);
    auto generation = cache_.generation();
    auto json = db_.read(
        [&](store::Connection& connection) { return TaskRepository(connection).findJson(id); });
    if (!json) throw ApiError::notFound("task", id);
    cache_.fill(id, *json, generation);
    return std::move(*json);
}

Task TaskService::find(const std::string& id) {
    return db_.read([&](store::Connection& connection) {
        TaskRepository tasks(connection);
        return findIn(tasks, id);
    });
}

Task TaskService::findIn(TaskRepository& tasks, const std::string& id) {
    auto task = tasks.find(id);
    if (!task) throw ApiError::notFound("task", id);
    return std::move(*task);
}

Task TaskService::findSubtaskIn(TaskRepository& tasks, const std::string& taskId,
                                const std::string& subtaskId) {
    findIn(tasks, taskId);
    auto subtask = tasks.find(subtaskId);
    if (!subtask || subtask->parentId != taskId) throw ApiError::notFound("subtask", subtaskId);
    return std::move(*subtask);
}

void TaskService::checkDependencies(TaskRepository& tasks, const Task& task) {
    for (const auto& dependency : task.dependencies) {
        if (dependency == task.id)
            throw ApiError::invalidField("dependencies", "a task cannot depend on itself");
        auto other = tasks.find(dependency);
        if (!other || other->projectId != task.projectId)
            throw ApiError::invalidField(
                "dependencies", "names '" + dependency + "', which is not a task of this project");
    }
}

std::string TaskService::save(store::Transaction& tx, Task& task, Change change) {
    auto json = domain::toJson(task);
    if (json.size() > domain::limits::kMaxStoredJson)
        throw ApiError::entityTooLarge("task", json.size(), domain::limits::kMaxStoredJson);
    TaskRepository tasks(tx.connection());
    // A blocked task is an item of the attention inbox: becoming blocked, staying blocked with a
    // new reason, or leaving it changes the inbox.
    bool blocked = task.status == domain::TaskStatus::Blocked;
    if (change == Change::Created) {
        tasks.insert(task, json);
    } else {
        blocked = blocked || tasks.statusOf(task.id) == "blocked";
        tasks.update(task, json);
    }
    cache_.onCommit(tx, task.id, json);
    task.unsavedEntries = 0;
    bool created = change == Change::Created;
    events_.record(tx, created ? events::kTaskCreated : events::kTaskUpdated, task.projectId, json);
    if (task.parentId)
        events_.record(tx, created ? events::kSubtaskCreated : events::kSubtaskUpdated,
                       task.projectId, subtaskPayload(task, json));
    if (blocked) announceAttention(events_, tx, task.projectId);
    return json;
}

TaskService::Saved TaskService::insert(store::Transaction& tx, domain::TaskDraft draft) {
    TaskRepository tasks(tx.connection());
    if (draft.parentId) {
        auto parent = findIn(tasks, *draft.parentId);
        if (!draft.projectId.empty() && draft.projectId != parent.projectId)
            throw ApiError::badRequest("parent_in_other_project",
                                       "The parent task belongs to another project");
        draft.projectId = parent.projectId;
    }
    if (!store::ProjectRepository(tx.connection()).findJson(draft.projectId))
        throw ApiError::notFound("project", draft.projectId);
    auto order = tasks.nextOrder(draft.projectId, draft.parentId);
    auto task = domain::makeTask(std::move(draft), order, domain::nowMs());
    checkDependencies(tasks, task);
    auto json = save(tx, task, Change::Created);
    return {std::move(task), std::move(json)};
}

std::string TaskService::create(domain::TaskDraft draft) {
    return db_.write([&](store::Transaction& tx) { return insert(tx, std::move(draft)).json; });
}

TaskService::Saved TaskService::patch(store::Transaction& tx, Task task,
                                      const domain::TaskPatch& patch, IfMatch ifMatch) {
    TaskRepository tasks(tx.connection());
    checkVersion(ifMatch, "task", task.version, domain::toJson(task));
    if (!domain::applyPatch(task, patch, domain::nowMs())) {
        auto json = domain::toJson(task);
        return {std::move(task), std::move(json)};
    }
    if (patch.dependencies) checkDependencies(tasks, task);
    auto json = save(tx, task, Change::Updated);
    return {std::move(task), std::move(json)};
}

std::string TaskService::update(const std::string& id, const domain::TaskPatch& change,
                                IfMatch ifMatch) {
    return db_.write([&](store::Transaction& tx) {
        TaskRepository tasks(tx.connection());
        return patch(tx, findIn(tasks, id), change, ifMatch).json;
    });
}

void TaskService::removeSubtree(store::Transaction& tx, const Task& root, IfMatch ifMatch) {
    TaskRepository tasks(tx.connection());
    checkVersion(ifMatch, "task", root.version, domain::toJson(root));
    auto doomed = tasks.subtreeDeepestFirst(root.id);
    std::set<std::string> doomedIds;
    for (const auto& task : doomed)
        doomedIds.insert(task.id);

    for (const auto& task : doomed) {
        tasks.remove(task.id);
        cache_.onCommit(tx, task.id, std::nullopt);
        events_.record(tx, events::kTaskDeleted, task.projectId, deletedTaskPayload(task));
        if (task.parentId)
            events_.record(tx, events::kSubtaskDeleted, task.projectId,
                           deletedSubtaskPayload(task));
    }
    // Tasks that depended on a deleted one no longer do.
    for (const auto& gone : doomed) {
        for (auto dependent : tasks.dependents(gone.id)) {
            if (doomedIds.count(dependent.id)) continue;
            domain::TaskPatch drop;
            drop.dependencies = dependent.dependencies;
            std::erase(*drop.dependencies, gone.id);
            if (domain::applyPatch(dependent, drop, domain::nowMs()))
                save(tx, dependent, Change::Updated);
        }
    }
}

void TaskService::remove(const std::string& id, IfMatch ifMatch) {
    db_.write([&](store::Transaction& tx) {
        TaskRepository tasks(tx.connection());
        removeSubtree(tx, findIn(tasks, id), ifMatch);
    });
}

std::string TaskService::addTimeline(const std::string& id, domain::TimelineDraft entry) {
    return db_.write([&](store::Transaction& tx) {
        TaskRepository tasks(tx.connection());
        domain::TaskPatch append;
        append.timeline.push_back(std::move(entry));
        return patch(tx, findIn(tasks, id), append, std::nullopt).json;
    });
}

void TaskService::addTimeline(store::Transaction& tx, const std::string& id,
                              domain::TimelineDraft entry) {
    TaskRepository tasks(tx.connection());
    domain::TaskPatch append;
    append.timeline.push_back(std::move(entry));
    patch(tx, findIn(tasks, id), append, std::nullopt);
}

store::TaskPage TaskService::children(const std::string& id, const store::Page& page) {
    return db_.read([&](store::Connection& connection) {
        TaskRepository tasks(connection);
        if (!tasks.exists(id)) throw ApiError::notFound("task", id);
        checkCursor(tasks, page);
        return tasks.list({.parentId = std::optional<std::string>{id}}, page);
    });
}

store::JsonPage TaskService::timeline(const std::string& id,
                                      const std::optional<std::string>& before,
                                      std::int64_t limit) {
    return db_.read([&](store::Connection& connection) {
        TaskRepository tasks(connection);
        auto task = findIn(tasks, id);
        auto entries = tasks.timeline(id, before, limit);
        if (!entries)
            throw ApiError::badRequest("invalid_query",
                                       "before names no timeline entry of task " + id);
        store::JsonPage page;
        page.total = task.timelineCount;
        for (const auto& entry : *entries) {
            json::Writer out(entry.message.size() + 128);
            domain::writeJson(out, entry);
            page.items.push_back(out.take());
        }
        return page;
    });
}

store::JsonPage TaskService::listSubtasks(const std::string& taskId, const store::Page& page) {
    return asSubtaskViews(children(taskId, page), taskId);
}

std::string TaskService::createSubtask(const std::string& taskId, domain::TaskDraft draft) {
    draft.parentId = taskId;
    draft.projectId.clear();
    return db_.write([&](store::Transaction& tx) {
        auto saved = insert(tx, std::move(draft));
        return subtaskView(saved.task, saved.json);
    });
}

std::string TaskService::getSubtask(const std::string& taskId, const std::string& subtaskId) {
    return db_.read([&](store::Connection& connection) {
        TaskRepository tasks(connection);
        return domain::toSubtaskJson(findSubtaskIn(tasks, taskId, subtaskId));
    });
}

std::string TaskService::updateSubtask(const std::string& taskId, const std::string& subtaskId,
                                       const domain::TaskPatch& change, IfMatch ifMatch) {
    return db_.write([&](store::Transaction& tx) {
        TaskRepository tasks(tx.connection());
        auto subtask = findSubtaskIn(tasks, taskId, subtaskId);
        checkVersion(ifMatch, "subtask", subtask.version, domain::toSubtaskJson(subtask));
        auto saved = patch(tx, std::move(subtask), change, std::nullopt);
        return subtaskView(saved.task, saved.json);
    });
}

void TaskService::removeSubtask(const std::string& taskId, const std::string& subtaskId,
                                IfMatch ifMatch) {
    db_.write([&](store::Transaction& tx) {
        TaskRepository tasks(tx.connection());
        removeSubtree(tx, findSubtaskIn(tasks, taskId, subtaskId), ifMatch);
    });
}

std::vector<std::string> TaskService::reorderSubtasks(const std::string& taskId,
                                                      const std::vector<std::string>& orderedIds) {
    return db_.write([&](store::Transaction& tx) {
        TaskRepository tasks(tx.connection());
        findIn(tasks, taskId);
        auto subtasks = tasks.children(taskId);

        std::set<std::string> current, requested(orderedIds.begin(), orderedIds.end());
        for (const auto& subtask : subtasks)
            current.insert(subtask.id);
        if (requested != current || requested.size() != orderedIds.size()) {
            json::Writer details;
            details.beginObject().key("expected").beginArray();
            for (const auto& id : current)
                details.value(id);
            details.endArray().endObject();
            throw ApiError::badRequest("invalid_order",
                                       "order must list every subtask of the task exactly once",
                                       details.take());
        }

        std::vector<std::string> views;
        for (std::size_t position = 0; position < orderedIds.size(); ++position) {
            auto subtask = *std::find_if(subtasks.begin(), subtasks.end(), [&](const Task& t) {
                return t.id == orderedIds[position];
            });
            domain::TaskPatch move;
            move.order = static_cast<std::int64_t>(position);
            if (domain::applyPatch(subtask, move, domain::nowMs()))
                save(tx, subtask, Change::Updated);
            views.push_back(domain::toSubtaskJson(subtask));
        }
        return views;
    });
}

void TaskService::setSessionStatus(store::Transaction& tx, const std::string& taskId,
                                   const std::string& sessionStatus, const std::string& sessionId) {
    auto task = TaskRepository(tx.connection()).find(taskId);
    if (!task) return;
    domain::TaskPatch change;
    change.sessionStatus = sessionStatus;
    change.bySession = sessionId;
    patch(tx, std::move(*task), change, std::nullopt);
}

void TaskService::recordSession(store::Transaction& tx, const std::string& taskId,
                                const std::string& sessionId, bool started, std::string message) {
    auto task = TaskRepository(tx.connection()).find(taskId);
    if (!task) return;
    auto now = domain::nowMs();
    auto& ids = task->sessionIds;
    bool added = started && std::find(ids.begin(), ids.end(), sessionId) == ids.end();
    if (added) ids.push_back(sessionId);
    domain::appendTimeline(
        *task, {started ? "session_started" : "session_ended", std::move(message), sessionId}, now);
    task->updatedAt = now;
    ++task->version;
    save(tx, *task, Change::Updated);
    if (added) {
        json::Writer link;
        link.beginObject().field("taskId", taskId).field("sessionId", sessionId).endObject();
        events_.record(tx, events::kTaskSessionAdded, task->projectId, link.take());
    }
}

} // namespace maestro::host::service
