#include "http/OverviewHandlers.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "http/Params.h"
#include "json/Writer.h"
#include "maestro_version.h"

#include <charconv>

namespace maestro::host::http {

Response OverviewHandlers::health(Request&) {
    std::chrono::duration<double> uptime = std::chrono::steady_clock::now() - started_;
    json::Writer out;
    out.beginObject()
        .field("status", "ok")
        .field("timestamp", domain::nowMs())
        .field("uptime", uptime.count())
        .field("version", kVersion)
        .endObject();
    return Response::json(200, out.take());
}

Response OverviewHandlers::status(Request& request) {
    return Response::json(200, status_.overview(idQuery(request, "projectId")));
}

Response OverviewHandlers::nodes(Request&) {
    return Response::json(200, nodes_.listJson());
}

Response OverviewHandlers::events(Request& request) {
    std::int64_t since = 0;
    if (auto text = request.query("since")) {
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), since);
        if (ec != std::errc{} || end != text->data() + text->size() || since < 0)
            throw domain::ApiError::badRequest("invalid_query",
                                               "since must be a non-negative integer");
    }
    auto page = pageOf(request);
    auto project = idQuery(request, "projectId");
    auto events = events_.since(since, page.limit, project);
    auto last = events_.lastSeq();
    auto total = events_.countSince(since, project);

    std::string body = "[";
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (i) body += ',';
        body += domain::toWireJson(events[i]);
    }
    body += ']';
    return Response::json(200, std::move(body))
        .header("X-Total-Count", std::to_string(total))
        .header("X-Last-Seq", std::to_string(last));
}

} // namespace maestro::host::http
