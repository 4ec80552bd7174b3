#include "http/ProjectHandlers.h"

#include "domain/JsonInput.h"
#include "http/Params.h"

namespace maestro::host::http {

Response ProjectHandlers::list(Request& request) {
    return listResponse(projects_.list(pageOf(request)));
}

Response ProjectHandlers::get(Request& request) {
    return Response::json(200, projects_.get(idParam(request, "id", "project")));
}

Response ProjectHandlers::create(Request& request) {
    return created(projects_.create(domain::parseProjectDraft(request.json())));
}

Response ProjectHandlers::update(Request& request) {
    const auto& id = idParam(request, "id", "project");
    auto patch = domain::parseProjectPatch(request.json());
    return Response::json(200, projects_.update(id, patch, ifMatchOf(request)));
}

Response ProjectHandlers::remove(Request& request) {
    const auto& id = idParam(request, "id", "project");
    projects_.remove(id, ifMatchOf(request));
    return deleted(id);
}

} // namespace maestro::host::http
