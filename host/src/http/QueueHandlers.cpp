#include "http/QueueHandlers.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "http/Params.h"

namespace maestro::host::http {

namespace {

const std::string& sessionOf(const Request& request) {
    return idParam(request, "id", "session");
}

Response ok(std::string json) {
    return Response::json(200, std::move(json));
}

} // namespace

Response QueueHandlers::state(Request& request) {
    return ok(queues_.state(sessionOf(request)));
}

Response QueueHandlers::top(Request& request) {
    return ok(queues_.top(sessionOf(request)));
}

Response QueueHandlers::items(Request& request) {
    return ok(queues_.items(sessionOf(request)));
}

Response QueueHandlers::start(Request& request) {
    return ok(queues_.start(sessionOf(request)));
}

Response QueueHandlers::complete(Request& request) {
    return ok(queues_.complete(sessionOf(request)));
}

Response QueueHandlers::fail(Request& request) {
    const auto& id = sessionOf(request);
    std::optional<std::string> reason;
    if (!request.body().empty()) reason = request.json().optString("reason", 4096);
    return ok(queues_.fail(id, std::move(reason)));
}

Response QueueHandlers::skip(Request& request) {
    return ok(queues_.skip(sessionOf(request)));
}

Response QueueHandlers::push(Request& request) {
    const auto& id = sessionOf(request);
    auto taskId = request.json().requiredString("taskId", 128);
    if (!domain::isValidId(taskId))
        throw domain::ApiError::invalidField("taskId", "is not a valid id");
    return ok(queues_.push(id, taskId));
}

} // namespace maestro::host::http
