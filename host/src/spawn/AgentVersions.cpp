#include "spawn/AgentVersions.h"

#include "process/Spawn.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace maestro::host::spawn {

namespace {

constexpr std::size_t kMaxOutput = 4096;
constexpr std::size_t kMaxVersion = 200;

std::optional<std::string> firstLine(const std::string& text) {
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        auto line = text.substr(start, end - start);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (!line.empty()) return line.substr(0, kMaxVersion);
        start = end + 1;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> probeVersion(const std::string& executable,
                                        std::chrono::milliseconds timeout) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return std::nullopt;
    // Its own process group, so that a timeout ends whatever it started too, and a fresh
    // signal state, not the server's (main blocks SIGTERM in every thread).
    process::SpawnSetup setup(process::Detach::ProcessGroup);
    posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(setup.actions(), out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(setup.actions(), STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<std::string> args{executable, "--version"};
    auto argv = process::nullTerminated(args);
    pid_t pid = -1;
    int failed = ::posix_spawn(&pid, executable.c_str(), setup.actions(), setup.attributes(),
                               argv.data(), environ);
    ::close(out[1]);
    if (failed != 0) {
        ::close(out[0]);
        return std::nullopt;
    }

    std::string text;
    bool timedOut = false;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        pollfd readable{out[0], POLLIN, 0};
        int ready = ::poll(&readable, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue; // the deadline is checked above
        char buffer[1024];
        auto n = ::read(out[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; // the program closed its output: done
        if (text.size() < kMaxOutput) text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    if (timedOut) ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
    return firstLine(text);
}

std::optional<std::string> AgentVersions::of(const std::string& executable) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = known_.find(executable); it != known_.end()) return it->second;
    }
    auto version = probeVersion(executable, timeout_);
    std::lock_guard lock(mutex_);
    return known_.emplace(executable, version).first->second;
}

} // namespace maestro::host::spawn
