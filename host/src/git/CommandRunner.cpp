#include "git/CommandRunner.h"

#include "process/Pidfd.h"
#include "process/Spawn.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace maestro::host::git {

namespace {

using Clock = std::chrono::steady_clock;

std::string errnoText(const std::string& what, int error) {
    return what + ": " + std::strerror(error);
}

// A descriptor closed when it goes out of scope.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept {
        reset(other.release());
        return *this;
    }
    ~Fd() { reset(); }
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    Fd read, write;
};

Pipe makePipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw CommandError(CommandError::Kind::StartFailed, errnoText("pipe", errno));
    return {Fd(fds[0]), Fd(fds[1])};
}

// Reaps the child, waiting for it; returns its wait status.
int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

// The output streams of a running command and the pidfd that says when it has exited.
class Capture {
public:
    Capture(Fd out, Fd err, Fd pidfd, std::size_t maxOutput)
        : maxOutput_(maxOutput), pidfd_(std::move(pidfd)) {
        streams_[0].fd = std::move(out);
        streams_[1].fd = std::move(err);
        for (auto& stream : streams_)
            ::fcntl(stream.fd.get(), F_SETFL, ::fcntl(stream.fd.get(), F_GETFL) | O_NONBLOCK);
    }

    enum class Outcome { Exited, TimedOut, TooLarge };

    // Reads until the program exits (and what it wrote before is read), the deadline passes,
    // or a stream passes the limit.
    Outcome run(Clock::time_point deadline) {
        for (;;) {
            std::array<pollfd, 3> fds{};
            nfds_t count = 0;
            for (auto& stream : streams_)
                if (stream.fd.get() >= 0) fds[count++] = {stream.fd.get(), POLLIN, 0};
            fds[count++] = {pidfd_.get(), POLLIN, 0};
            auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return Outcome::TimedOut;
            int ready = ::poll(fds.data(), count, static_cast<int>(left.count()));
            if (ready < 0 && errno != EINTR)
                throw CommandError(CommandError::Kind::StartFailed, errnoText("poll", errno));
            if (ready <= 0) continue;
            if (!drain()) return Outcome::TooLarge;
            if (fds[count - 1].revents & POLLIN) {
                // Exited: what it wrote is in the pipes now. A process it left running may
                // still hold them open, so read what is there and stop.
                return drain() ? Outcome::Exited : Outcome::TooLarge;
            }
        }
    }

    std::string take(int index) { return std::move(streams_[index].data); }

private:
    struct Stream {
        Fd fd;
        std::string data;
    };

    // Reads what each open stream has; false when one passed the limit.
    bool drain() {
        char buffer[65536];
        for (auto& stream : streams_) {
            while (stream.fd.get() >= 0) {
                auto n = ::read(stream.fd.get(), buffer, sizeof buffer);
                if (n > 0) {
                    if (stream.data.size() + static_cast<std::size_t>(n) > maxOutput_) return false;
                    stream.data.append(buffer, static_cast<std::size_t>(n));
                } else if (n == 0) {
                    stream.fd.reset();
                } else if (errno == EINTR) {
                    continue;
                } else {
                    break; // EAGAIN: nothing more for now
                }
            }
        }
        return true;
    }

    std::size_t maxOutput_;
    std::array<Stream, 2> streams_;
    Fd pidfd_;
};

} // namespace

CommandResult runCommand(const CommandSpec& spec) {
    const auto deadline = Clock::now() + spec.timeout;
    Pipe out = makePipe(), err = makePipe();

    std::vector<std::string> argvStrings{spec.program.string()};
    argvStrings.insert(argvStrings.end(), spec.args.begin(), spec.args.end());
    auto envStrings = spec.env;
    auto argv = process::nullTerminated(argvStrings);
    auto envp = process::nullTerminated(envStrings);

    // In the child: its own process group (so a timeout can end what it started), a fresh
    // signal state, stdin from /dev/null, the pipes as stdout and stderr, nothing else inherited.
    process::SpawnSetup setup(process::Detach::ProcessGroup);
    posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(setup.actions(), out.write.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(setup.actions(), err.write.get(), STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(setup.actions(), spec.cwd.c_str());
    posix_spawn_file_actions_addclosefrom_np(setup.actions(), 3);

    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, spec.program.c_str(), setup.actions(), setup.attributes(),
                           argv.data(), envp.data());
    if (rc != 0)
        throw CommandError(
            CommandError::Kind::StartFailed,
            errnoText("cannot run " + spec.program.string() + " in " + spec.cwd.string(), rc));
    out.write.reset();
    err.write.reset();

    Fd pidfd(process::pidfdOpen(pid));
    if (pidfd.get() < 0) {
        int error = errno;
        ::kill(-pid, SIGKILL);
        reap(pid);
        throw CommandError(CommandError::Kind::StartFailed, errnoText("pidfd_open", error));
    }

    Capture capture(std::move(out.read), std::move(err.read), std::move(pidfd), spec.maxOutput);
    Capture::Outcome outcome;
    try {
        outcome = capture.run(deadline);
    } catch (...) {
        ::kill(-pid, SIGKILL);
        reap(pid);
        throw;
    }
    if (outcome != Capture::Outcome::Exited) {
        ::kill(-pid, SIGKILL);
        reap(pid);
        auto name = spec.program.filename().string();
        if (!spec.args.empty()) name += " " + spec.args.front();
        if (outcome == Capture::Outcome::TimedOut)
            throw CommandError(CommandError::Kind::TimedOut,
                               name + " did not finish within " +
                                   std::to_string(spec.timeout.count()) + " ms");
        throw CommandError(CommandError::Kind::OutputTooLarge,
                           name + " wrote more than " + std::to_string(spec.maxOutput) + " bytes");
    }

    int status = reap(pid);
    CommandResult result;
    if (WIFEXITED(status)) {
        result.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    result.out = capture.take(0);
    result.err = capture.take(1);
    return result;
}

} // namespace maestro::host::git
