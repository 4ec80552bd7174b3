#pragma once

#include "http/Exchange.h"
#include "service/TaskService.h"

namespace maestro::host::http {

class TaskHandlers {
public:
    explicit TaskHandlers(service::TaskService& tasks) : tasks_(tasks) {}

    // ?projectId=&status=&parentId= (parentId=null: top-level tasks only) &limit= and
    // &offset= or &after=<task id>
    Response list(Request& request);
    Response get(Request& request);
    // The task from memory, for the HTTP loop; nullopt when it is not there.
    std::optional<Response> getCached(Request& request);
    Response create(Request& request);
    Response update(Request& request);
    Response remove(Request& request);
    Response children(Request& request);
    Response addTimeline(Request& request);
    // ?before=<entry id>&limit= (default 100): the history beyond the task's inline timeline.
    Response timeline(Request& request);

private:
    service::TaskService& tasks_;
};

// The subtask API: /api/tasks/:id/subtasks[/:subId]. A subtask is a task whose parent is :id,
// shown with taskId and completed.
class SubtaskHandlers {
public:
    explicit SubtaskHandlers(service::TaskService& tasks) : tasks_(tasks) {}

    Response list(Request& request);
    Response create(Request& request);
    Response get(Request& request);
    Response update(Request& request);
    Response remove(Request& request);
    // Body {"order":[subtaskId, …]} naming every subtask once.
    Response reorder(Request& request);

private:
    service::TaskService& tasks_;
};

} // namespace maestro::host::http
