#pragma once

#include "git/CommandRunner.h"

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace maestro::host::git {

// git answered with an error, or could not be run to an answer. The message names the command
// and git's own explanation (the first line of what it wrote to stderr).
class GitError : public std::runtime_error {
public:
    enum class Kind {
        Failed,         // git ran and exited with a status other than 0
        NotRunnable,    // git is not installed, or could not be started
        TimedOut,       // it took longer than allowed
        OutputTooLarge, // it wrote more than allowed
    };
    GitError(Kind kind, const std::string& message, int exitCode = -1, std::string stderrText = {})
        : std::runtime_error(message), kind_(kind), exitCode_(exitCode),
          stderr_(std::move(stderrText)) {}
    Kind kind() const noexcept { return kind_; }
    int exitCode() const noexcept { return exitCode_; }
    const std::string& stderrText() const noexcept { return stderr_; }

private:
    Kind kind_;
    int exitCode_;
    std::string stderr_;
};

// How one git invocation runs.
struct GitOptions {
    std::chrono::milliseconds timeout{60000};
    std::size_t maxOutput = 64u << 20;
    std::vector<std::string> env; // extra "NAME=value" entries
};

// The git program and the one way this server runs it: the real git, started without a shell
// (git/CommandRunner.h), with the same fixed options every time so its output is what the
// parsers (git/Porcelain.h) expect whatever the user's configuration says:
//  - `-c core.quotepath=off`: paths as raw bytes, not octal-escaped;
//  - `--no-pager`, `-c color.ui=false`: plain text;
//  - environment: no inherited GIT_* variable (a server started from a hook must not aim git
//    at another repository), LC_ALL=C, no terminal prompts, no editor, and
//    GIT_OPTIONAL_LOCKS=0 so reading a worktree's status never takes the index lock an agent
//    working there may need at the same moment.
class Git {
public:
    // `executable`: an absolute path; empty when git is not installed.
    explicit Git(std::filesystem::path executable);

    bool available() const noexcept { return !executable_.empty(); }
    const std::filesystem::path& executable() const noexcept { return executable_; }

    // Runs `git ARGS` in `dir`; any exit status is returned. Throws GitError when git cannot be
    // run, times out or writes more than allowed.
    CommandResult run(const std::filesystem::path& dir, const std::vector<std::string>& args,
                      const GitOptions& options = {}) const;
    // Like run, but an exit status other than 0 throws GitError with git's message; returns
    // stdout.
    std::string check(const std::filesystem::path& dir, const std::vector<std::string>& args,
                      const GitOptions& options = {}) const;

private:
    std::filesystem::path executable_;
    std::vector<std::string> environment_;
};

} // namespace maestro::host::git
