#include "domain/ApiError.h"

#include "json/Writer.h"

namespace maestro::domain {

ApiError::ApiError(int status, std::string code, std::string message, std::string detailsJson)
    : std::runtime_error(message), status_(status), code_(std::move(code)),
      detailsJson_(std::move(detailsJson)) {}

ApiError ApiError::badRequest(std::string code, std::string message, std::string detailsJson) {
    return {400, std::move(code), std::move(message), std::move(detailsJson)};
}

ApiError ApiError::notFound(std::string_view kind, std::string_view id) {
    json::Writer details;
    details.beginObject().field("id", id).endObject();
    std::string code{kind};
    code += "_not_found";
    std::string message{kind};
    message += " not found: ";
    message += id;
    if (!message.empty()) message[0] = static_cast<char>(std::toupper(message[0]));
    return {404, std::move(code), std::move(message), details.take()};
}

ApiError ApiError::conflict(std::string code, std::string message, std::string detailsJson) {
    return {409, std::move(code), std::move(message), std::move(detailsJson)};
}

ApiError ApiError::preconditionFailed(std::string_view kind, long long expected, long long actual,
                                      std::string_view currentJson) {
    json::Writer details;
    details.beginObject()
        .field("expectedVersion", expected)
        .field("currentVersion", actual)
        .key("current")
        .raw(currentJson)
        .endObject();
    std::string message{kind};
    message += " was changed by someone else (version " + std::to_string(actual) + ", you had " +
               std::to_string(expected) + ")";
    return {412, "version_mismatch", std::move(message), details.take()};
}

ApiError ApiError::invalidField(std::string_view field, std::string_view problem) {
    json::Writer details;
    details.beginObject().field("field", field).field("problem", problem).endObject();
    std::string message{"Invalid field '"};
    message += field;
    message += "': ";
    message += problem;
    return {400, "validation_error", std::move(message), details.take()};
}

ApiError ApiError::fieldTooLarge(std::string_view field, std::size_t limit, std::string_view unit) {
    json::Writer details;
    details.beginObject()
        .field("field", field)
        .field("limit", static_cast<std::int64_t>(limit))
        .field("unit", unit)
        .endObject();
    std::string message{"Field '"};
    message += field;
    message += "' is over its limit of " + std::to_string(limit) + " ";
    message += unit;
    return {413, "field_too_large", std::move(message), details.take()};
}

ApiError ApiError::entityTooLarge(std::string_view kind, std::size_t size, std::size_t limit) {
    json::Writer details;
    details.beginObject()
        .field("limit", static_cast<std::int64_t>(limit))
        .field("size", static_cast<std::int64_t>(size))
        .endObject();
    std::string code{kind};
    code += "_too_large";
    std::string message = "The change would make the ";
    message += kind;
    message += " " + std::to_string(size) + " bytes, over its limit of " + std::to_string(limit);
    return {413, std::move(code), std::move(message), details.take()};
}

} // namespace maestro::domain
