#include "http/WorktreeHandlers.h"

#include "domain/ApiError.h"
#include "http/Params.h"
#include "json/Utf8.h"

namespace maestro::host::http {

using domain::ApiError;

namespace {

constexpr std::size_t kMaxPath = 4096;
constexpr std::size_t kMaxMessage = 64 * 1024;

// ?path=: a file of the change set. The service only ever uses it to pick one of the paths git
// reported; this turns away what can never be one before any git runs.
std::optional<std::string> pathQuery(const Request& request) {
    auto path = request.query("path");
    if (!path) return std::nullopt;
    if (path->empty() || path->size() > kMaxPath || !json::isValidUtf8(*path) ||
        path->find('\0') != std::string::npos)
        throw ApiError::badRequest("invalid_query",
                                   "path must be a changed file's path: 1-4096 bytes of UTF-8");
    return path;
}

// An optional JSON body: {} when the request has none.
domain::JsonInput bodyOf(const Request& request) {
    return domain::JsonInput::parseObject(request.body().empty() ? "{}" : request.body());
}

} // namespace

Response WorktreeHandlers::changes(Request& request) {
    const auto& id = idParam(request, "id", "session");
    if (auto answer = nodes_.onOwner(request, id, cluster::kSlowRequestTimeout))
        return std::move(*answer);
    return Response::json(200, worktrees_.changes(id));
}

Response WorktreeHandlers::diff(Request& request) {
    const auto& id = idParam(request, "id", "session");
    auto path = pathQuery(request);
    if (auto answer = nodes_.onOwner(request, id, cluster::kSlowRequestTimeout))
        return std::move(*answer);
    Response response{200, worktrees_.diff(id, path), "text/x-diff", {}};
    return response;
}

Response WorktreeHandlers::merge(Request& request) {
    const auto& id = idParam(request, "id", "session");
    auto body = bodyOf(request);
    worktree::MergeOptions options;
    if (auto strategy = body.optString("strategy", 16)) {
        if (*strategy != "merge" && *strategy != "squash")
            throw ApiError::invalidField("strategy", "must be \"merge\" or \"squash\"");
        options.squash = *strategy == "squash";
    }
    if (auto message = body.optString("message", kMaxMessage)) {
        if (message->find_first_not_of(" \t\r\n") == std::string::npos)
            throw ApiError::invalidField("message", "must not be empty");
        options.message = std::move(*message);
    }
    options.force = body.optBool("force").value_or(false);
    if (auto answer = nodes_.onOwner(request, id, cluster::kSlowRequestTimeout))
        return std::move(*answer);
    return Response::json(200, worktrees_.merge(id, options));
}

Response WorktreeHandlers::discard(Request& request) {
    const auto& id = idParam(request, "id", "session");
    bool force = bodyOf(request).optBool("force").value_or(false);
    if (auto answer = nodes_.onOwner(request, id, cluster::kSlowRequestTimeout))
        return std::move(*answer);
    return Response::json(200, worktrees_.discard(id, force));
}

Response WorktreeHandlers::overlaps(Request& request) {
    const auto& id = idParam(request, "id", "project");
    projects_.find(id); // 404 for an unknown project
    return Response::json(200, worktrees_.overlaps(id));
}

} // namespace maestro::host::http
