#include "PtyProcess.h"

#include "holder/Executable.h"
#include "process/Pidfd.h"
#include "process/Spawn.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <spawn.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <utility>

namespace maestro::holder {

namespace {

std::string errnoText(const char* what, int error) {
    return std::string(what) + ": " + std::strerror(error);
}

} // namespace

PtyProcess PtyProcess::start(const PtyOptions& options) {
    auto pathIt = options.env.find("PATH");
    auto program =
        findExecutable(options.command,
                       pathIt == options.env.end() ? "/usr/bin:/bin" : pathIt->second, options.cwd);
    if (program.empty()) throw SpawnFailure("command not found: " + options.command);
    std::error_code ec;
    if (!std::filesystem::is_directory(options.cwd, ec))
        throw SpawnFailure("working directory does not exist: " + options.cwd);

    int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) throw SpawnFailure(errnoText("posix_openpt", errno));
    char slaveName[128];
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0 ||
        ::ptsname_r(master, slaveName, sizeof slaveName) != 0) {
        int error = errno;
        ::close(master);
        throw SpawnFailure(errnoText("pseudo-terminal", error));
    }
    winsize size{};
    size.ws_col = static_cast<unsigned short>(options.cols);
    size.ws_row = static_cast<unsigned short>(options.rows);
    ::ioctl(master, TIOCSWINSZ, &size);

    std::vector<std::string> argvStrings = {options.command};
    argvStrings.insert(argvStrings.end(), options.args.begin(), options.args.end());
    auto argv = process::nullTerminated(argvStrings);
    auto envStrings = process::environmentEntries(options.env);
    auto envp = process::nullTerminated(envStrings);

    // In the child: a new session (setsid), whose first terminal opened without O_NOCTTY —
    // the slave, as stdin — becomes its controlling terminal; stdout and stderr are the same
    // terminal; the project's directory; no inherited descriptors; a fresh signal state.
    process::SpawnSetup setup(process::Detach::Session);
    posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, slaveName, O_RDWR, 0);
    posix_spawn_file_actions_adddup2(setup.actions(), STDIN_FILENO, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(setup.actions(), STDIN_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(setup.actions(), options.cwd.c_str());
    posix_spawn_file_actions_addclosefrom_np(setup.actions(), 3);

    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, program.c_str(), setup.actions(), setup.attributes(), argv.data(),
                           envp.data());
    if (rc != 0) {
        ::close(master);
        throw SpawnFailure(errnoText(("cannot start " + options.command).c_str(), rc));
    }
    int pidfd = process::pidfdOpen(pid);
    if (pidfd < 0) {
        int error = errno;
        ::kill(-pid, SIGKILL);
        ::close(master);
        throw SpawnFailure(errnoText("pidfd_open", error));
    }
    ::fcntl(pidfd, F_SETFD, FD_CLOEXEC);
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    return PtyProcess(pid, master, pidfd);
}

PtyProcess::PtyProcess(PtyProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), master_(std::exchange(other.master_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)) {}

PtyProcess::~PtyProcess() {
    closeMaster();
    if (pidfd_ >= 0) ::close(pidfd_);
}

bool PtyProcess::signal(int signal) const {
    if (pidfd_ < 0) return false;
    // The pidfd pins the pid until we close it, so a recycled pid is never signalled; the
    // group is signalled too, for the agent's own children.
    bool delivered = process::pidfdSendSignal(pidfd_, signal) == 0;
    ::kill(-pid_, signal);
    return delivered;
}

bool PtyProcess::resize(int cols, int rows) const {
    if (master_ < 0) return false;
    winsize size{};
    size.ws_col = static_cast<unsigned short>(cols);
    size.ws_row = static_cast<unsigned short>(rows);
    return ::ioctl(master_, TIOCSWINSZ, &size) == 0; // the kernel sends SIGWINCH
}

void PtyProcess::closeMaster() {
    if (master_ >= 0) ::close(master_);
    master_ = -1;
}

} // namespace maestro::holder
