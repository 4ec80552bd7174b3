#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace maestro::domain {

// The one error every layer throws for an expected failure (a client mistake, a missing
// resource, a conflict). The HTTP layer maps it to
// {"error":true,"statusCode":…,"code":…,"message":…,"details":{…}} in one place; anything
// else that escapes a handler is an internal error.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, std::string message, std::string detailsJson = "{}");

    int status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }
    // A JSON object, already rendered.
    const std::string& detailsJson() const noexcept { return detailsJson_; }

    static ApiError badRequest(std::string code, std::string message,
                               std::string detailsJson = "{}");
    // kind is "task", "project", … → code "task_not_found".
    static ApiError notFound(std::string_view kind, std::string_view id);
    static ApiError conflict(std::string code, std::string message, std::string detailsJson = "{}");
    // If-Match named a version that is no longer current; details carry the current resource.
    static ApiError preconditionFailed(std::string_view kind, long long expected, long long actual,
                                       std::string_view currentJson);
    // One field of a request body is missing or has the wrong type or value.
    static ApiError invalidField(std::string_view field, std::string_view problem);
    // 413 field_too_large: a field over its size limit; unit is "bytes" or "items".
    static ApiError fieldTooLarge(std::string_view field, std::size_t limit, std::string_view unit);
    // 413 <kind>_too_large: the change would make the stored entity larger than its limit.
    static ApiError entityTooLarge(std::string_view kind, std::size_t size, std::size_t limit);

private:
    int status_;
    std::string code_;
    std::string detailsJson_;
};

} // namespace maestro::domain
