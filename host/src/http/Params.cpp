#include "http/Params.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "json/Writer.h"

#include <charconv>

namespace maestro::host::http {

using domain::ApiError;

namespace {

std::optional<std::int64_t> parseInteger(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::int64_t nonNegativeQuery(const Request& request, const std::string& name,
                              std::int64_t fallback) {
    auto text = request.query(name);
    if (!text) return fallback;
    auto value = parseInteger(*text);
    if (!value || *value < 0)
        throw ApiError::badRequest("invalid_query", name + " must be a non-negative integer");
    return *value;
}

} // namespace

store::Page pageOf(const Request& request) {
    if (request.query("after"))
        throw ApiError::badRequest("invalid_query", "this list pages by offset, not after");
    store::Page page;
    page.limit = std::min(nonNegativeQuery(request, "limit", store::Page::kMaxLimit),
                          store::Page::kMaxLimit);
    page.offset = nonNegativeQuery(request, "offset", 0);
    return page;
}

store::Page keysetPageOf(const Request& request) {
    auto after = request.query("after");
    if (after && request.query("offset"))
        throw ApiError::badRequest("invalid_query", "after and offset cannot be combined");
    if (after && !domain::isValidId(*after))
        throw ApiError::badRequest("invalid_query", "after is not a valid id");
    store::Page page;
    page.limit = std::min(nonNegativeQuery(request, "limit", store::Page::kMaxLimit),
                          store::Page::kMaxLimit);
    page.offset = nonNegativeQuery(request, "offset", 0);
    page.after = after;
    return page;
}

service::IfMatch ifMatchOf(const Request& request) {
    auto header = request.header("If-Match");
    if (!header) return std::nullopt;
    std::string_view text = *header;
    if (text.starts_with("W/")) text.remove_prefix(2);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    auto version = parseInteger(text);
    if (!version || *version < 1)
        throw ApiError::badRequest("invalid_if_match", "If-Match must carry a version number");
    return version;
}

const std::string& idParam(const Request& request, const std::string& name, std::string_view kind) {
    const auto& id = request.param(name);
    if (!domain::isValidId(id)) throw ApiError::notFound(kind, id);
    return id;
}

std::optional<std::string> idQuery(const Request& request, const std::string& name) {
    auto id = request.query(name);
    if (id && !domain::isValidId(*id))
        throw ApiError::badRequest("invalid_query", name + " is not a valid id");
    return id;
}

Response listResponse(const store::JsonPage& page) {
    std::size_t size = 2;
    for (const auto& item : page.items)
        size += item.size() + 1;
    std::string body;
    body.reserve(size);
    body += '[';
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        if (i) body += ',';
        body += page.items[i];
    }
    body += ']';
    return Response::json(200, std::move(body)).header("X-Total-Count", std::to_string(page.total));
}

Response created(std::string json) {
    return Response::json(201, std::move(json));
}

Response deleted(const std::string& id) {
    json::Writer out;
    out.beginObject().field("success", true).field("id", id).endObject();
    return Response::json(200, out.take());
}

} // namespace maestro::host::http
