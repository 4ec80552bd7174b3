#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace maestro::host::git {

// One program to run to completion with its output captured. The program is started directly
// (posix_spawn with an argument array), never through a shell, so no argument is ever
// interpreted: a file name that starts with "-" or holds ";" is just bytes to the program.
struct CommandSpec {
    std::filesystem::path program; // an absolute path
    std::vector<std::string> args; // after argv[0]
    std::filesystem::path cwd;     // the directory it runs in
    std::vector<std::string> env;  // the complete environment, "NAME=value"
    std::chrono::milliseconds timeout{30000};
    std::size_t maxOutput = 64u << 20; // bytes of stdout, and of stderr, kept at most
};

struct CommandResult {
    int exitCode = -1; // -1 when a signal ended it
    int signal = 0;    // the signal that ended it, or 0
    std::string out;
    std::string err;
    bool ok() const noexcept { return exitCode == 0; }
};

// The command did not run to an exit status of its own.
class CommandError : public std::runtime_error {
public:
    enum class Kind {
        StartFailed,    // no such program, or the directory is gone
        TimedOut,       // killed (with its process group) when the timeout passed
        OutputTooLarge, // killed when stdout or stderr passed maxOutput
    };
    CommandError(Kind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    Kind kind() const noexcept { return kind_; }

private:
    Kind kind_;
};

// Runs the command and waits for it: stdin is /dev/null, stdout and stderr are read as they
// come (a chatty program never blocks on a full pipe), and the program runs in a process group
// of its own so that a timeout ends whatever it started too. The answer comes when the program
// has exited, even if something it started in the background still holds its output open.
// Safe to call from any number of threads at once.
CommandResult runCommand(const CommandSpec& spec);

} // namespace maestro::host::git
