#include "http/Api.h"

namespace maestro::host::http {

namespace {

template <class H> Handler to(H& handlers, Response (H::*method)(Request&)) {
    return [&handlers, method](Request& request) { return (handlers.*method)(request); };
}

} // namespace

Api::Api(service::Services& services)
    : projects_(services.projects), tasks_(services.tasks), subtasks_(services.tasks),
      overview_(services.status, services.eventLog) {
    auto& r = router_;
    r.add("GET", "/health", to(overview_, &OverviewHandlers::health));
    r.add("GET", "/api/health", to(overview_, &OverviewHandlers::health));
    r.add("GET", "/api/status", to(overview_, &OverviewHandlers::status));
    r.add("GET", "/api/events", to(overview_, &OverviewHandlers::events));

    r.add("GET", "/api/projects", to(projects_, &ProjectHandlers::list));
    r.add("POST", "/api/projects", to(projects_, &ProjectHandlers::create));
    r.add("GET", "/api/projects/:id", to(projects_, &ProjectHandlers::get));
    r.add("PUT", "/api/projects/:id", to(projects_, &ProjectHandlers::update));
    r.add("PATCH", "/api/projects/:id", to(projects_, &ProjectHandlers::update));
    r.add("DELETE", "/api/projects/:id", to(projects_, &ProjectHandlers::remove));

    r.add("GET", "/api/tasks", to(tasks_, &TaskHandlers::list));
    r.add("POST", "/api/tasks", to(tasks_, &TaskHandlers::create));
    r.add("GET", "/api/tasks/:id", to(tasks_, &TaskHandlers::get));
    r.add("PATCH", "/api/tasks/:id", to(tasks_, &TaskHandlers::update));
    r.add("DELETE", "/api/tasks/:id", to(tasks_, &TaskHandlers::remove));
    r.add("GET", "/api/tasks/:id/children", to(tasks_, &TaskHandlers::children));
    r.add("POST", "/api/tasks/:id/timeline", to(tasks_, &TaskHandlers::addTimeline));

    r.add("GET", "/api/tasks/:id/subtasks", to(subtasks_, &SubtaskHandlers::list));
    r.add("POST", "/api/tasks/:id/subtasks", to(subtasks_, &SubtaskHandlers::create));
    r.add("POST", "/api/tasks/:id/subtasks/reorder", to(subtasks_, &SubtaskHandlers::reorder));
    r.add("GET", "/api/tasks/:id/subtasks/:subId", to(subtasks_, &SubtaskHandlers::get));
    r.add("PATCH", "/api/tasks/:id/subtasks/:subId", to(subtasks_, &SubtaskHandlers::update));
    r.add("DELETE", "/api/tasks/:id/subtasks/:subId", to(subtasks_, &SubtaskHandlers::remove));
}

} // namespace maestro::host::http
