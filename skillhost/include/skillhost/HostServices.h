#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace maestro::skillhost {

// What a skill may ask of the program that loaded it. The server and the CLI each implement
// this; the registry turns it into the maestro_host table of the C ABI. Every method may be
// called from any thread, concurrently (skills call them from their callbacks), and should not
// throw — an exception is caught at the boundary and reported to the skill as a failure.
class HostServices {
public:
    enum class LogLevel { Debug, Info, Warning, Error };

    struct ApiResponse {
        int status = 0;   // HTTP status
        std::string body; // response body (JSON text)
    };

    virtual ~HostServices() = default;

    // One log line from the skill `skillId` (or from the loader about it).
    virtual void log(LogLevel level, std::string_view skillId, std::string_view message) = 0;

    // Configuration lookup for skills; keys are documented in docs/skills.md ("apiUrl",
    // "cliPath", "cliDir", …). nullopt when the key is not set.
    virtual std::optional<std::string> config(std::string_view key) = 0;

    // One call into the Maestro API. Throws (any std::exception) when no response could be had;
    // an HTTP error status is a normal response.
    virtual ApiResponse callApi(std::string_view method, std::string_view path,
                                std::string_view body) = 0;

    // The current session context as a JSON object (docs/skills.md, "Session context").
    virtual std::string sessionContext() = 0;
};

} // namespace maestro::skillhost
