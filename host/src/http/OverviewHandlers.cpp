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
    std::optional<std::int64_t> since;
    if (auto text = request.query("since")) {
        std::int64_t value = 0;
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc{} || end != text->data() + text->size() || value < 0)
            throw domain::ApiError::badRequest("invalid_query",
                                               "since must be a non-negative integer");
        since = value;
    }
    auto limit = pageOf(request).limit;
    auto project = idQuery(request, "projectId");
    // Without `since`: from the oldest event kept.
    auto page = events_.page(since, limit, project, service::EventLogService::Total::Count);
    if (page.expired) {
        json::Writer details;
        details.beginObject()
            .field("since", *since)
            .field("firstSeq", page.firstSeq)
            .field("lastSeq", page.lastSeq)
            .endObject();
        throw domain::ApiError(410, "resync_required",
                               "Events after " + std::to_string(*since) +
                                   " are no longer kept; reload, then follow from lastSeq",
                               details.take());
    }

    std::string body = "[";
    for (std::size_t i = 0; i < page.events.size(); ++i) {
        if (i) body += ',';
        body += domain::toWireJson(page.events[i]);
    }
    body += ']';
    return Response::json(200, std::move(body))
        .header("X-Total-Count", std::to_string(page.total))
        .header("X-Last-Seq", std::to_string(page.lastSeq));
}

} // namespace maestro::host::http
