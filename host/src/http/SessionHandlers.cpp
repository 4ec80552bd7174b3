#include "http/SessionHandlers.h"

#include "domain/ApiError.h"
#include "http/Params.h"
#include "json/Writer.h"

#include <charconv>
#include <future>

namespace maestro::host::http {

using domain::ApiError;

namespace {

constexpr std::size_t kMaxOutputSlice = 1u << 20;

std::uint64_t offsetQuery(const Request& request, const std::string& name, std::uint64_t fallback) {
    auto text = request.query(name);
    if (!text) return fallback;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size())
        throw ApiError::badRequest("invalid_query", name + " must be a non-negative integer");
    return value;
}

Response accepted() {
    return Response::json(200, R"({"success":true})");
}

// A terminal request answers at once; a stop waits for the session to end (grace + 2 s); a
// spawn runs hooks and may make a worktree.
constexpr std::chrono::milliseconds kTerminalTimeout{10000};

} // namespace

Response SessionHandlers::list(Request& request) {
    store::SessionFilter filter;
    filter.projectId = idQuery(request, "projectId");
    filter.taskId = idQuery(request, "taskId");
    if (auto status = request.query("status")) {
        filter.status = domain::parseSessionStatus(*status);
        if (!filter.status)
            throw ApiError::badRequest("invalid_query", "unknown session status '" + *status + "'");
    }
    filter.liveOnly = request.query("active") == "true";
    return listResponse(sessions_.list(filter, pageOf(request)));
}

Response SessionHandlers::get(Request& request) {
    return Response::json(200, sessions_.get(idParam(request, "id", "session")));
}

Response SessionHandlers::create(Request& request) {
    return created(sessions_.create(domain::parseSessionDraft(request.json())));
}

Response SessionHandlers::update(Request& request) {
    const auto& id = idParam(request, "id", "session");
    auto patch = domain::parseSessionPatch(request.json());
    return Response::json(200, sessions_.update(id, patch, ifMatchOf(request)));
}

Response SessionHandlers::addTimeline(Request& request) {
    const auto& id = idParam(request, "id", "session");
    // The original API's default type for a session's report is "progress".
    auto entry = domain::parseTimelineDraft(request.json(), "progress");
    return Response::json(200, sessions_.addTimeline(id, std::move(entry)));
}

Response SessionHandlers::addEvent(Request& request) {
    const auto& id = idParam(request, "id", "session");
    return Response::json(200, sessions_.addEvent(id, domain::parseSessionEvent(request.json())));
}

Response SessionHandlers::remove(Request& request) {
    const auto& id = idParam(request, "id", "session");
    if (auto answer = nodes_.onOwner(request, id, kTerminalTimeout)) return std::move(*answer);
    spawner_.remove(id, ifMatchOf(request));
    return deleted(id);
}

Response SessionHandlers::spawn(Request& request) {
    auto spawn = domain::parseSpawnRequest(request.json());
    if (!NodeForwarder::forwarded(request))
        if (auto target = routing_.spawnTarget(spawn))
            return nodes_.forward(request, *target, cluster::kSlowRequestTimeout);
    return created(spawner_.spawn(spawn));
}

Response SessionHandlers::stop(Request& request) {
    const auto& id = idParam(request, "id", "session");
    if (auto answer = nodes_.onOwner(request, id, cluster::kSlowRequestTimeout))
        return std::move(*answer);
    return Response::json(200, spawner_.stop(id));
}

Response SessionHandlers::input(Request& request) {
    const auto& id = idParam(request, "id", "session");
    if (auto answer = nodes_.onOwner(request, id, kTerminalTimeout)) return std::move(*answer);
    spawner_.input(id, request.json().requiredString("data", 64 * 1024));
    return accepted();
}

Response SessionHandlers::resize(Request& request) {
    const auto& id = idParam(request, "id", "session");
    if (auto answer = nodes_.onOwner(request, id, kTerminalTimeout)) return std::move(*answer);
    auto body = request.json();
    auto cols = body.optInteger("cols"), rows = body.optInteger("rows");
    if (!cols || !rows || *cols < 1 || *rows < 1 || *cols > 1000 || *rows > 1000)
        throw ApiError::invalidField(!cols || *cols < 1 || *cols > 1000 ? "cols" : "rows",
                                     "must be an integer 1-1000");
    spawner_.resize(id, static_cast<int>(*cols), static_cast<int>(*rows));
    return accepted();
}

Response SessionHandlers::output(Request& request) {
    const auto& id = idParam(request, "id", "session");
    auto since = offsetQuery(request, "since", 0);
    auto limit =
        std::min<std::uint64_t>(offsetQuery(request, "limit", kMaxOutputSlice), kMaxOutputSlice);
    if (auto answer = nodes_.onOwner(request, id, kTerminalTimeout)) return std::move(*answer);
    return Response::json(200, spawner_.output(id, since, static_cast<std::size_t>(limit)));
}

Response SessionHandlers::claim(Request& request) {
    const auto& id = idParam(request, "id", "session");
    std::optional<std::int64_t> pid;
    if (!request.body().empty()) pid = request.json().optInteger("pid");
    return Response::json(200, spawner_.claim(id, pid));
}

Response SessionHandlers::screen(Request& request) {
    return Response::json(200, spawner_.screen(idParam(request, "id", "session")));
}

Response SessionHandlers::activity(Request& request) {
    using domain::Activity;
    using domain::ActivitySource;
    const auto& id = idParam(request, "id", "session");
    auto body = request.json();
    auto text = body.requiredString("activity", 32);
    auto activity = domain::parseActivity(text);
    if (!activity || (*activity != Activity::NeedsInput && *activity != Activity::Working &&
                      *activity != Activity::Idle))
        throw ApiError::invalidField("activity",
                                     "must be needs_input, working or idle (got '" + text + "')");
    auto source = ActivitySource::Report;
    if (auto name = body.optString("source", 32)) {
        auto parsed = domain::parseActivitySource(*name);
        if (!parsed || (*parsed != ActivitySource::Report && *parsed != ActivitySource::Hook))
            throw ApiError::invalidField("source", "must be report or hook (got '" + *name + "')");
        source = *parsed;
    }
    auto reason = body.optString("reason", 2000).value_or("");
    return Response::json(200, spawner_.reportActivity(id, *activity, std::move(reason), source));
}

Response SessionHandlers::agents(Request&) {
    const auto& profiles = spawner_.profiles();
    std::vector<spawn::AgentProfile> all;
    for (const auto& name : profiles.names())
        all.push_back(*profiles.find(name));
    // Each version is asked once (and remembered); the first request asks them side by side,
    // so it waits for the slowest agent, not for the sum.
    std::vector<std::future<std::optional<std::string>>> versions;
    for (const auto& profile : all)
        versions.push_back(std::async(std::launch::async,
                                      [this, &profile] { return spawner_.agentVersion(profile); }));
    store::JsonPage page;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto& profile = all[i];
        auto unavailable = spawn::unavailableReason(profile);
        json::Writer out;
        out.beginObject()
            .field("name", profile.name)
            .field("command", profile.command)
            .stringArray("args", profile.args)
            .field("default", profile.name == profiles.defaultName())
            .field("available", !unavailable)
            .field("version", versions[i].get());
        if (unavailable) out.field("reason", *unavailable);
        out.endObject();
        page.items.push_back(out.take());
    }
    page.total = static_cast<std::int64_t>(page.items.size());
    return listResponse(page);
}

} // namespace maestro::host::http
