#include "http/TaskHandlers.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "domain/Task.h"
#include "http/Params.h"

namespace maestro::host::http {

using domain::ApiError;

Response TaskHandlers::list(Request& request) {
    store::TaskFilter filter;
    filter.projectId = idQuery(request, "projectId");
    if (auto status = request.query("status")) {
        filter.status = domain::parseTaskStatus(*status);
        if (!filter.status)
            throw ApiError::badRequest("invalid_query", "status must be one of todo, in_progress, "
                                                        "blocked, completed, cancelled");
    }
    if (auto parent = request.query("parentId")) {
        if (*parent == "null" || parent->empty())
            filter.parentId = std::optional<std::string>{};
        else
            filter.parentId = idQuery(request, "parentId");
    }
    return listResponse(tasks_.list(filter, keysetPageOf(request)));
}

Response TaskHandlers::get(Request& request) {
    return Response::json(200, tasks_.get(idParam(request, "id", "task")));
}

std::optional<Response> TaskHandlers::getCached(Request& request) {
    auto json = tasks_.cached(idParam(request, "id", "task"));
    if (!json) return std::nullopt;
    return Response::json(200, std::move(*json));
}

Response TaskHandlers::create(Request& request) {
    return created(tasks_.create(domain::parseTaskDraft(request.json(), domain::DraftKind::Task)));
}

Response TaskHandlers::update(Request& request) {
    const auto& id = idParam(request, "id", "task");
    auto patch = domain::parseTaskPatch(request.json());
    return Response::json(200, tasks_.update(id, patch, ifMatchOf(request)));
}

Response TaskHandlers::remove(Request& request) {
    const auto& id = idParam(request, "id", "task");
    tasks_.remove(id, ifMatchOf(request));
    return deleted(id);
}

Response TaskHandlers::children(Request& request) {
    return listResponse(tasks_.children(idParam(request, "id", "task"), keysetPageOf(request)));
}

Response TaskHandlers::timeline(Request& request) {
    const auto& id = idParam(request, "id", "task");
    if (request.query("offset"))
        throw ApiError::badRequest("invalid_query", "the timeline pages by before, not offset");
    auto before = request.query("before");
    if (before && !domain::isValidId(*before))
        throw ApiError::badRequest("invalid_query", "before is not a valid entry id");
    constexpr std::int64_t kDefaultLimit = 100;
    auto limit = request.query("limit") ? pageOf(request).limit : kDefaultLimit;
    return listResponse(tasks_.timeline(id, before, limit));
}

Response TaskHandlers::addTimeline(Request& request) {
    const auto& id = idParam(request, "id", "task");
    return Response::json(200, tasks_.addTimeline(id, domain::parseTimelineDraft(request.json())));
}

Response SubtaskHandlers::list(Request& request) {
    return listResponse(tasks_.listSubtasks(idParam(request, "id", "task"), keysetPageOf(request)));
}

Response SubtaskHandlers::create(Request& request) {
    const auto& id = idParam(request, "id", "task");
    return created(tasks_.createSubtask(
        id, domain::parseTaskDraft(request.json(), domain::DraftKind::Subtask)));
}

Response SubtaskHandlers::get(Request& request) {
    const auto& id = idParam(request, "id", "task");
    return Response::json(200, tasks_.getSubtask(id, idParam(request, "subId", "subtask")));
}

Response SubtaskHandlers::update(Request& request) {
    const auto& id = idParam(request, "id", "task");
    const auto& subId = idParam(request, "subId", "subtask");
    auto patch = domain::parseTaskPatch(request.json());
    return Response::json(200, tasks_.updateSubtask(id, subId, patch, ifMatchOf(request)));
}

Response SubtaskHandlers::remove(Request& request) {
    const auto& id = idParam(request, "id", "task");
    const auto& subId = idParam(request, "subId", "subtask");
    tasks_.removeSubtask(id, subId, ifMatchOf(request));
    return deleted(subId);
}

Response SubtaskHandlers::reorder(Request& request) {
    const auto& id = idParam(request, "id", "task");
    auto body = request.json();
    auto order = body.optStringArray("order", 10000);
    if (!order) throw ApiError::invalidField("order", "is required: an array of subtask ids");
    store::JsonPage page;
    page.items = tasks_.reorderSubtasks(id, *order);
    page.total = static_cast<std::int64_t>(page.items.size());
    return listResponse(page);
}

} // namespace maestro::host::http
