#include "http/RequestTarget.h"

#include "domain/ApiError.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace maestro::host::http {

namespace {

domain::ApiError invalidTarget(std::string_view why) {
    return domain::ApiError::badRequest("invalid_uri",
                                        "The request URI is malformed: " + std::string{why});
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecode(std::string_view encoded) {
    std::string decoded;
    decoded.reserve(encoded.size());
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] != '%') {
            decoded += encoded[i];
            continue;
        }
        int high = i + 2 < encoded.size() ? hexValue(encoded[i + 1]) : -1;
        int low = i + 2 < encoded.size() ? hexValue(encoded[i + 2]) : -1;
        if (high < 0 || low < 0)
            throw invalidTarget("'%' must be followed by two hexadecimal digits");
        decoded += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return decoded;
}

// The path of an absolute-form target ("http://host:port/path"), "/" when it has none.
std::string_view pathOfAbsolute(std::string_view target) {
    auto scheme = target.find("://");
    auto name = Poco::toLower(std::string{target.substr(0, scheme)});
    if (scheme == std::string_view::npos || (name != "http" && name != "https"))
        throw invalidTarget("expected a path starting with '/'");
    auto slash = target.find_first_of("/?", scheme + 3);
    if (slash == std::string_view::npos) return "/";
    if (target[slash] == '?') throw invalidTarget("expected a path after the authority");
    return target.substr(slash);
}

} // namespace

RequestTarget RequestTarget::parse(std::string_view target) {
    if (auto hash = target.find('#'); hash != std::string_view::npos)
        target = target.substr(0, hash); // never sent by a conforming client; never used
    if (target.empty()) throw invalidTarget("empty target");
    if (target.front() != '/') target = pathOfAbsolute(target);

    RequestTarget result;
    auto question = target.find('?');
    result.path = std::string{target.substr(0, question)};
    if (question != std::string_view::npos) result.query = std::string{target.substr(question + 1)};

    std::string_view path = result.path;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        if (end > start) result.segments.push_back(percentDecode(path.substr(start, end - start)));
        start = end + 1;
    }
    return result;
}

std::vector<std::pair<std::string, std::string>> RequestTarget::queryParameters() const {
    if (query.empty()) return {};
    try {
        return Poco::URI("/?" + query).getQueryParameters();
    } catch (const Poco::Exception&) {
        throw invalidTarget("the query cannot be decoded");
    }
}

} // namespace maestro::host::http
