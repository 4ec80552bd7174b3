#pragma once

#include <maestro/skill_abi.h>
#include <stdexcept>
#include <string>

namespace maestro::cli {

// Exit codes, as docs/cli.md ("Exit codes and errors") promises them: defined once, in the
// skill ABI, since skill commands return them too.
inline constexpr int kExitOk = MAESTRO_EXIT_OK;
inline constexpr int kExitUsage = MAESTRO_EXIT_USAGE;
inline constexpr int kExitRefused = MAESTRO_EXIT_REFUSED;
inline constexpr int kExitUnavailable = MAESTRO_EXIT_UNAVAILABLE; // no answer after the retries
inline constexpr int kExitInternal = MAESTRO_EXIT_INTERNAL;

// A failure the CLI reports: its exit code and the one JSON error document of docs/api.md,
// {"error":true,"statusCode":…,"code":…,"message":…,"details":{…}}. When the server sent such a
// document it is kept verbatim; otherwise the CLI makes one in the same shape, with statusCode
// 0 when no HTTP status was involved.
class CliError : public std::runtime_error {
public:
    CliError(int exitCode, std::string code, std::string message, std::string detailsJson = "{}",
             int statusCode = 0);

    static CliError usage(std::string message, std::string detailsJson = "{}");
    static CliError internal(std::string message);
    // A response that is not a success: the server's error document when the body is one.
    static CliError fromResponse(int exitCode, int status, const std::string& body);

    int exitCode() const noexcept { return exitCode_; }
    int statusCode() const noexcept { return statusCode_; }
    const std::string& code() const noexcept { return code_; }
    const std::string& document() const noexcept { return document_; }

private:
    CliError(int exitCode, int statusCode, std::string code, std::string message,
             std::string document, bool);

    int exitCode_;
    int statusCode_;
    std::string code_;
    std::string document_;
};

} // namespace maestro::cli
