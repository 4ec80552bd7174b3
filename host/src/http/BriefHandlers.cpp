#include "http/BriefHandlers.h"

#include "http/Params.h"

namespace maestro::host::http {

Response BriefHandlers::get(Request& request) {
    const auto& taskId = idParam(request, "id", "task");
    auto role = request.query("role").value_or("worker");
    return Response::json(200, briefs_.forTask(taskId, role, idQuery(request, "sessionId")));
}

} // namespace maestro::host::http
