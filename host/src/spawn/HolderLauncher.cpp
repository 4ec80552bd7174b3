#include "spawn/HolderLauncher.h"

#include "holder/SessionFolder.h"
#include "process/Pidfd.h"
#include "process/Spawn.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace maestro::host::spawn {

namespace {

constexpr int kReportFd = 3;
constexpr std::chrono::seconds kReportTimeout{10};

// Reads the holder's one-line report until its end, EOF or the deadline.
std::string readReport(int fd) {
    std::string text;
    auto deadline = std::chrono::steady_clock::now() + kReportTimeout;
    while (text.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        pollfd pfd{fd, POLLIN, 0};
        if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) <= 0) break;
        char buffer[512];
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text.substr(0, text.find('\n'));
}

} // namespace

LaunchedHolder launchHolder(const std::filesystem::path& program, const std::filesystem::path& dir,
                            const LaunchOptions& options) {
    if (program.empty() || ::access(program.c_str(), X_OK) != 0)
        throw SpawnFailure("the session holder maestro-session is not installed beside "
                           "maestro-server");
    std::vector<std::string> args = {program.string(),
                                     "--dir",
                                     dir.string(),
                                     "--cwd",
                                     options.cwd,
                                     "--cols",
                                     std::to_string(options.cols),
                                     "--rows",
                                     std::to_string(options.rows),
                                     "--report-fd",
                                     std::to_string(kReportFd),
                                     "--",
                                     options.command};
    args.insert(args.end(), options.args.begin(), options.args.end());
    auto argv = process::nullTerminated(args);
    auto envStrings = process::environmentEntries(options.env);
    auto envp = process::nullTerminated(envStrings);

    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
        throw SpawnFailure(std::string("pipe: ") + std::strerror(errno));
    auto log = (dir / holder::kHolderLogFile).string();
    // A session of its own (so no signal for the server's terminal or group reaches it) and a
    // fresh signal state; only the report pipe is passed on.
    process::SpawnSetup setup(process::Detach::Session);
    posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(setup.actions(), STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(setup.actions(), STDERR_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(setup.actions(), report[1], kReportFd);
    posix_spawn_file_actions_addclosefrom_np(setup.actions(), kReportFd + 1);

    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, program.c_str(), setup.actions(), setup.attributes(), argv.data(),
                           envp.data());
    ::close(report[1]);
    if (rc != 0) {
        ::close(report[0]);
        throw SpawnFailure(std::string("cannot start maestro-session: ") + std::strerror(rc));
    }
    auto line = readReport(report[0]);
    ::close(report[0]);
    if (line.starts_with("ok ")) {
        LaunchedHolder launched;
        launched.holderPid = pid;
        launched.agentPid = static_cast<pid_t>(std::atoi(line.c_str() + 3));
        launched.pidfd = process::pidfdOpen(pid);
        if (launched.pidfd >= 0) ::fcntl(launched.pidfd, F_SETFD, FD_CLOEXEC);
        return launched;
    }
    // It started nothing and ends (or is made to): reap it.
    if (line.empty()) ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    if (line.starts_with("error ")) throw SpawnFailure(line.substr(6));
    throw SpawnFailure("maestro-session ended without starting the agent (see " + log + ")");
}

} // namespace maestro::host::spawn
