#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

namespace maestro::host::spawn {

// A session's process could not be started; the message says why ("command not found: claude").
class SpawnFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What a session runs.
struct LaunchOptions {
    std::string command;           // a path, or a name looked up in env's PATH
    std::vector<std::string> args; // after argv[0]
    std::string cwd;
    std::map<std::string, std::string> env; // the complete environment
    int cols = 120;
    int rows = 32;
};

struct LaunchedHolder {
    pid_t holderPid = -1;
    int pidfd = -1; // the holder's: it is this server's child until the server exits
    pid_t agentPid = -1;
};

// Starts maestro-session (`program`) for the session whose folder is `dir` and waits for its
// report: the agent runs, or SpawnFailure says why it does not. The holder gets a session of
// its own, no descriptor of the server's, /dev/null for stdin and stdout, and
// <dir>/holder.log for stderr.
LaunchedHolder launchHolder(const std::filesystem::path& program, const std::filesystem::path& dir,
                            const LaunchOptions& options);

} // namespace maestro::host::spawn
