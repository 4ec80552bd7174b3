#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace maestro::host::spawn {

// What `COMMAND --version` prints (its first line), asked once per executable and remembered:
// GET /api/agents reports it beside `available`. An agent that does not answer within the
// timeout, or fails, has no version; that is remembered too, so a slow agent costs its timeout
// once, not on every request.
class AgentVersions {
public:
    explicit AgentVersions(std::chrono::milliseconds timeout = std::chrono::seconds(2))
        : timeout_(timeout) {}

    // `executable` is a path (holder::findExecutable's answer).
    std::optional<std::string> of(const std::string& executable);

private:
    std::chrono::milliseconds timeout_;
    std::mutex mutex_;
    std::map<std::string, std::optional<std::string>> known_;
};

// Runs `executable --version` with stdin from /dev/null and a deadline; the first non-empty line
// of its stdout (at most 200 bytes), or nullopt when it failed or ran out of time (it is killed).
std::optional<std::string> probeVersion(const std::string& executable,
                                        std::chrono::milliseconds timeout);

} // namespace maestro::host::spawn
