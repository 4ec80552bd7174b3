#include "http/AttentionHandlers.h"

#include "domain/ApiError.h"
#include "http/Params.h"

namespace maestro::host::http {

namespace {

constexpr std::size_t kMaxIds = 100;
constexpr std::size_t kMaxIdBytes = 300;

} // namespace

Response AttentionHandlers::list(Request& request) {
    auto body = attention_.list(idQuery(request, "projectId"));
    return Response::json(200, std::move(body));
}

Response AttentionHandlers::dismiss(Request& request) {
    auto ids = request.json().optStringArray("ids", kMaxIds);
    if (!ids || ids->empty())
        throw domain::ApiError::invalidField("ids", "must be a non-empty array of item ids");
    for (const auto& id : *ids)
        if (id.empty() || id.size() > kMaxIdBytes)
            throw domain::ApiError::invalidField("ids", "holds an id that is empty or too long");
    return Response::json(200, attention_.dismiss(*ids));
}

} // namespace maestro::host::http
