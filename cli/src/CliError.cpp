#include "CliError.h"

#include "json/Writer.h"

#include <Poco/JSON/Parser.h>

namespace maestro::cli {

namespace {

std::string renderDocument(int statusCode, const std::string& code, const std::string& message,
                           const std::string& detailsJson) {
    maestro::json::Writer out(128 + message.size() + detailsJson.size());
    out.beginObject()
        .field("error", true)
        .field("statusCode", statusCode)
        .field("code", code)
        .field("message", message)
        .key("details")
        .raw(detailsJson.empty() ? "{}" : detailsJson)
        .endObject();
    return out.take();
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

} // namespace

CliError::CliError(int exitCode, std::string code, std::string message, std::string detailsJson,
                   int statusCode)
    : CliError(exitCode, statusCode, code, message,
               renderDocument(statusCode, code, message, detailsJson), true) {}

CliError::CliError(int exitCode, int statusCode, std::string code, std::string message,
                   std::string document, bool)
    : std::runtime_error(message), exitCode_(exitCode), statusCode_(statusCode),
      code_(std::move(code)), document_(std::move(document)) {}

CliError CliError::usage(std::string message, std::string detailsJson) {
    return CliError(kExitUsage, "usage_error", std::move(message), std::move(detailsJson));
}

CliError CliError::internal(std::string message) {
    return CliError(kExitInternal, "internal_error", std::move(message));
}

CliError CliError::fromResponse(int exitCode, int status, const std::string& body) {
    try {
        Poco::JSON::Parser parser;
        auto parsed = parser.parse(body);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
            auto object = parsed.extract<Poco::JSON::Object::Ptr>();
            if (object->has("error") && object->has("message") &&
                object->get("message").isString()) {
                auto code = object->optValue<std::string>("code", "http_" + std::to_string(status));
                return CliError(exitCode, status, std::move(code),
                                object->getValue<std::string>("message"), trimmed(body), true);
            }
        }
    } catch (const Poco::Exception&) {
        // Not JSON (a proxy's error page): described below.
    }
    std::string snippet = trimmed(body).substr(0, 200);
    std::string message =
        "HTTP " + std::to_string(status) + (snippet.empty() ? "" : ": " + snippet);
    return CliError(exitCode, "http_" + std::to_string(status), std::move(message), "{}", status);
}

} // namespace maestro::cli
