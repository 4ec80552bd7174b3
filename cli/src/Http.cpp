#include "Http.h"

#include "CliError.h"
#include "json/Writer.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace maestro::cli {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (Poco::icompare(key, std::string(name)) == 0) return value;
    return std::nullopt;
}

ServerUrl ServerUrl::parse(const std::string& text) {
    const auto invalid = [&text](const std::string& why) {
        return CliError::usage("invalid server URL '" + text + "': " + why);
    };
    Poco::URI uri;
    try {
        uri = Poco::URI(text);
    } catch (const Poco::Exception& e) {
        throw invalid(e.message());
    }
    if (uri.getScheme() != "http")
        throw invalid(uri.getScheme().empty() ? "expected http://HOST[:PORT]"
                                              : "only http:// is supported");
    if (uri.getHost().empty()) throw invalid("no host");
    if (!uri.getRawQuery().empty() || !uri.getFragment().empty())
        throw invalid("a query or fragment is not allowed");
    ServerUrl url;
    url.host = uri.getHost();
    url.port = uri.getPort();
    url.basePath = uri.getPath();
    while (!url.basePath.empty() && url.basePath.back() == '/')
        url.basePath.pop_back();
    url.text = text;
    while (!url.text.empty() && url.text.back() == '/')
        url.text.pop_back();
    return url;
}

bool ServerUrl::isLoopback() const {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

Query& Query::addOptional(std::string_view name, const std::optional<std::string>& value) {
    if (value) add(name, std::string_view(*value));
    return *this;
}

Query& Query::add(std::string_view name, std::string_view value) {
    text_ += text_.empty() ? '?' : '&';
    text_ += name;
    text_ += '=';
    std::string encoded;
    Poco::URI::encode(std::string(value), "!#$&'()*+,/:;=?@[]", encoded);
    text_ += encoded;
    return *this;
}

CliError unreachableError(const ServerUrl& url, int attempts, Millis elapsed,
                          const std::string& lastError) {
    maestro::json::Writer details;
    details.beginObject()
        .field("server", url.text)
        .field("attempts", attempts)
        .field("elapsedMs", static_cast<std::int64_t>(elapsed.count()))
        .field("lastError", lastError)
        .endObject();
    return CliError(kExitUnavailable, "server_unreachable",
                    "cannot reach the Maestro server at " + url.text + " (" + lastError + "; " +
                        std::to_string(attempts) + " attempt" + (attempts == 1 ? "" : "s") + ")",
                    details.take());
}

std::string pathSegment(std::string_view text) {
    std::string encoded;
    Poco::URI::encode(std::string(text), "!#$&'()*+,/:;=?@[]", encoded);
    return encoded;
}

} // namespace maestro::cli
