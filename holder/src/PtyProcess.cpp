#include "PtyProcess.h"

#include "holder/Executable.h"
#include "holder/Pidfd.h"

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

// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }
};

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
    std::vector<char*> argv;
    for (auto& arg : argvStrings)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<std::string> envStrings;
    for (const auto& [key, value] : options.env)
        envStrings.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (auto& entry : envStrings)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    SpawnSetup setup;
    // In the child: a new session (setsid), whose first terminal opened without O_NOCTTY —
    // the slave, as stdin — becomes its controlling terminal; stdout and stderr are the same
    // terminal; the project's directory; no inherited descriptors; default signal handling
    // and an empty signal mask (the holder ignores SIGPIPE and blocks the signals it reads from
    // a signalfd).
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setflags(&setup.attributes,
                             POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setsigdefault(&setup.attributes, &all);
    posix_spawnattr_setsigmask(&setup.attributes, &none);
    posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, slaveName, O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&setup.actions, STDIN_FILENO, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&setup.actions, STDIN_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(&setup.actions, options.cwd.c_str());
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);

    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, program.c_str(), &setup.actions, &setup.attributes, argv.data(),
                           envp.data());
    if (rc != 0) {
        ::close(master);
        throw SpawnFailure(errnoText(("cannot start " + options.command).c_str(), rc));
    }
    int pidfd = pidfdOpen(pid);
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
    bool delivered = pidfdSendSignal(pidfd_, signal) == 0;
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
