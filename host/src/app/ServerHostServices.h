#pragma once

#include "skillhost/HostServices.h"

#include <filesystem>
#include <string>

namespace maestro::host::app {

// What skills loaded by the server may ask of it (skillhost/HostServices.h): logging to
// host.skills, the configuration keys of docs/skills.md, and calls into the API — made over
// loopback HTTP like any client's, so they pass the same checks and never run inside a
// database transaction.
class ServerHostServices : public skillhost::HostServices {
public:
    ServerHostServices(std::string apiUrl, int port, std::filesystem::path home,
                       std::filesystem::path cliPath, std::string token);

    void log(LogLevel level, std::string_view skillId, std::string_view message) override;
    std::optional<std::string> config(std::string_view key) override;
    ApiResponse callApi(std::string_view method, std::string_view path,
                        std::string_view body) override;
    std::string sessionContext() override { return "{}"; } // the server is not a session

private:
    std::string apiUrl_;
    int port_;
    std::filesystem::path home_;
    std::filesystem::path cliPath_;
    std::string token_;
};

} // namespace maestro::host::app
