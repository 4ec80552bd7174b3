#include "http/SkillHandlers.h"

#include "domain/ApiError.h"
#include "http/Params.h"

#include <sstream>

namespace maestro::host::http {

namespace {

std::string render(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

store::JsonPage pageOf(const std::vector<skillhost::SkillInfo>& infos) {
    store::JsonPage page;
    for (const auto& info : infos)
        page.items.push_back(render(skillhost::toJson(info)));
    page.total = static_cast<std::int64_t>(page.items.size());
    return page;
}

} // namespace

Response SkillHandlers::list(Request&) {
    return listResponse(pageOf(registry_.list()));
}

Response SkillHandlers::get(Request& request) {
    const auto& id = request.param("id");
    auto info = registry_.get(id);
    if (!info) throw domain::ApiError::notFound("skill", id);
    return Response::json(200, render(skillhost::toJson(*info)));
}

Response SkillHandlers::forRole(Request& request) {
    return listResponse(pageOf(registry_.forRole(request.param("role"))));
}

Response SkillHandlers::rescan(Request&) {
    auto changes = registry_.rescan();
    announce_(changes);
    std::string body = "{\"changes\":[";
    for (std::size_t i = 0; i < changes.size(); ++i)
        body += (i ? "," : "") + render(skillhost::toJson(changes[i]));
    body += "],\"skills\":" + listResponse(pageOf(registry_.list())).body + "}";
    return Response::json(200, std::move(body));
}

Response SkillHandlers::reload(Request& request) {
    const auto& id = request.param("id");
    auto change = registry_.reload(id);
    if (!change) throw domain::ApiError::notFound("skill", id);
    announce_({*change});
    auto info = registry_.get(change->id);
    return Response::json(200, info ? render(skillhost::toJson(*info))
                                    : render(skillhost::toJson(*change)));
}

} // namespace maestro::host::http
