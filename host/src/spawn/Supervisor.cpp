#include "spawn/Supervisor.h"

#include "json/Utf8.h"

#include <Poco/Logger.h>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

namespace maestro::host::spawn {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kWakeupToken = 0;
constexpr std::size_t kScrollbackBytes = 1u << 20;

Poco::Logger& logger() {
    return Poco::Logger::get("host.spawn");
}

} // namespace

struct Supervisor::Running {
    std::string sessionId;
    PtyProcess process;
    std::uint64_t masterToken = 0;
    std::uint64_t pidToken = 0;
    int logFd = -1;
    mutable std::mutex mutex; // guards buffer and the process's master for input/resize
    OutputBuffer buffer{kScrollbackBytes};
    std::string carry; // an incomplete UTF-8 sequence at the end of the last read
    std::optional<Clock::time_point> killAt;
    bool stopRequested = false;

    Running(std::string id, PtyProcess p) : sessionId(std::move(id)), process(std::move(p)) {}
    ~Running() {
        if (logFd >= 0) ::close(logFd);
    }
};

Supervisor::Supervisor(std::filesystem::path sessionsDir, OutputCallback onOutput,
                       ExitCallback onExit)
    : sessionsDir_(std::move(sessionsDir)), onOutput_(std::move(onOutput)),
      onExit_(std::move(onExit)) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wakeup_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeupToken;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wakeup_, &ev);
    thread_ = std::thread([this] { run(); });
}

Supervisor::~Supervisor() {
    stopAll(std::chrono::milliseconds(0));
    stopping_ = true;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeup_, &one, sizeof one);
    thread_.join();
    ::close(epoll_);
    ::close(wakeup_);
}

std::filesystem::path Supervisor::logFile(const std::string& sessionId) const {
    return sessionsDir_ / sessionId / "output.log";
}

pid_t Supervisor::launch(const std::string& sessionId, const PtyOptions& options) {
    std::filesystem::create_directories(sessionsDir_ / sessionId);
    auto running = std::make_shared<Running>(sessionId, PtyProcess::start(options));
    running->logFd =
        ::open(logFile(sessionId).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    pid_t pid = running->process.pid();
    {
        std::lock_guard lock(mutex_);
        running->masterToken = nextToken_++;
        running->pidToken = nextToken_++;
        sessions_[sessionId] = running;
        tokens_[running->masterToken] = running;
        tokens_[running->pidToken] = running;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = running->masterToken;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, running->process.master(), &ev);
    ev.data.u64 = running->pidToken;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, running->process.pidfd(), &ev);
    logger().information("session %s: started %s as pid %d", sessionId, options.command,
                         static_cast<int>(pid));
    return pid;
}

std::shared_ptr<Supervisor::Running> Supervisor::find(const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(sessionId);
    return it == sessions_.end() ? nullptr : it->second;
}

bool Supervisor::isRunning(const std::string& sessionId) const {
    return find(sessionId) != nullptr;
}

std::size_t Supervisor::runningCount() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

bool Supervisor::stop(const std::string& sessionId, std::chrono::milliseconds grace) {
    auto running = find(sessionId);
    if (!running) return false;
    {
        std::lock_guard lock(running->mutex);
        running->stopRequested = true;
        auto deadline = Clock::now() + grace;
        if (!running->killAt || deadline < *running->killAt) running->killAt = deadline;
        running->process.signal(grace.count() > 0 ? SIGTERM : SIGKILL);
    }
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeup_, &one, sizeof one); // re-arm the kill timer
    return true;
}

void Supervisor::stopAll(std::chrono::milliseconds grace) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, running] : sessions_)
            ids.push_back(id);
    }
    for (const auto& id : ids)
        stop(id, grace);
    std::unique_lock lock(mutex_);
    allExited_.wait_for(lock, grace + std::chrono::seconds(5),
                        [this] { return sessions_.empty(); });
}

void Supervisor::run() {
    epoll_event events[64];
    while (!stopping_) {
        int timeout = 1000;
        {
            std::lock_guard lock(mutex_);
            auto now = Clock::now();
            for (const auto& [id, running] : sessions_) {
                std::lock_guard sessionLock(running->mutex);
                if (!running->killAt) continue;
                if (*running->killAt <= now) {
                    running->process.signal(SIGKILL);
                    running->killAt = now + std::chrono::seconds(1); // and again, until reaped
                }
                auto wait =
                    std::chrono::duration_cast<std::chrono::milliseconds>(*running->killAt - now)
                        .count();
                timeout = std::clamp(static_cast<int>(wait), 0, timeout);
            }
        }
        int n = ::epoll_wait(epoll_, events, 64, timeout);
        for (int i = 0; i < n; ++i) {
            auto token = events[i].data.u64;
            if (token == kWakeupToken) {
                std::uint64_t count;
                while (::read(wakeup_, &count, sizeof count) > 0) {
                }
                continue;
            }
            std::shared_ptr<Running> running;
            {
                std::lock_guard lock(mutex_);
                auto it = tokens_.find(token);
                if (it == tokens_.end()) continue;
                running = it->second;
            }
            if (token == running->masterToken)
                onOutput(*running);
            else
                onExit(running);
        }
    }
}

void Supervisor::append(Running& running, std::string data) {
    if (data.empty()) return;
    std::uint64_t offset;
    {
        std::lock_guard lock(running.mutex);
        offset = running.buffer.end();
        running.buffer.append(data);
    }
    if (running.logFd >= 0 && ::write(running.logFd, data.data(), data.size()) < 0)
        logger().warning("session %s: cannot write output.log: %s", running.sessionId,
                         std::string(std::strerror(errno)));
    if (onOutput_) onOutput_(running.sessionId, offset, std::move(data));
}

void Supervisor::onOutput(Running& running) {
    char buffer[65536];
    std::string chunk = std::move(running.carry);
    running.carry.clear();
    for (;;) {
        ssize_t n = ::read(running.process.master(), buffer, sizeof buffer);
        if (n > 0) {
            chunk.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        // EIO: every slave descriptor is closed (the process exited); the pidfd reports the rest.
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, running.process.master(), nullptr);
        break;
    }
    // Keep a multi-byte character that was cut in two for the next read, so every chunk is
    // whole UTF-8 for the terminal clients.
    auto tail = json::incompleteUtf8Tail(chunk);
    running.carry = chunk.substr(chunk.size() - tail);
    chunk.resize(chunk.size() - tail);
    append(running, std::move(chunk));
}

void Supervisor::onExit(const std::shared_ptr<Running>& running) {
    int status = 0;
    pid_t reaped = ::waitpid(running->process.pid(), &status, WNOHANG);
    if (reaped == 0) return; // not yet
    onOutput(*running);      // whatever it wrote last
    append(*running, std::move(running->carry));

    ProcessExit exit;
    exit.sessionId = running->sessionId;
    if (reaped > 0 && WIFEXITED(status)) {
        exit.exitCode = WEXITSTATUS(status);
    } else if (reaped > 0 && WIFSIGNALED(status)) {
        exit.signal = WTERMSIG(status);
        exit.exitCode = 128 + exit.signal;
    }
    {
        std::lock_guard lock(running->mutex);
        exit.stopRequested = running->stopRequested;
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, running->process.master(), nullptr);
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, running->process.pidfd(), nullptr);
        running->process.closeMaster(); // hang up: whatever else runs on the terminal gets SIGHUP
    }
    logger().information("session %s: pid %d ended (exit code %d, signal %d)", running->sessionId,
                         static_cast<int>(running->process.pid()), exit.exitCode.value_or(-1),
                         exit.signal);
    if (onExit_) onExit_(exit);
    {
        std::lock_guard lock(mutex_);
        sessions_.erase(running->sessionId);
        tokens_.erase(running->masterToken);
        tokens_.erase(running->pidToken);
    }
    allExited_.notify_all();
}

std::optional<Supervisor::Slice> Supervisor::output(const std::string& sessionId,
                                                    std::uint64_t since, std::size_t maxBytes) {
    if (auto running = find(sessionId)) {
        std::lock_guard lock(running->mutex);
        Slice slice;
        slice.start = std::max(since, running->buffer.start());
        auto data = running->buffer.since(slice.start).substr(0, maxBytes);
        slice.data.assign(data);
        slice.end = slice.start + slice.data.size();
        return slice;
    }
    std::ifstream log(logFile(sessionId), std::ios::binary | std::ios::ate);
    if (!log) return std::nullopt;
    auto size = static_cast<std::uint64_t>(log.tellg());
    Slice slice;
    slice.start = std::min(since, size);
    log.seekg(static_cast<std::streamoff>(slice.start));
    slice.data.resize(
        static_cast<std::size_t>(std::min<std::uint64_t>(size - slice.start, maxBytes)));
    log.read(slice.data.data(), static_cast<std::streamsize>(slice.data.size()));
    slice.end = slice.start + slice.data.size();
    return slice;
}

std::optional<ws::TerminalBridge::Scrollback> Supervisor::scrollback(const std::string& sessionId) {
    if (auto running = find(sessionId)) {
        std::lock_guard lock(running->mutex);
        return Scrollback{std::string(running->buffer.since(0)), running->buffer.end()};
    }
    // A finished session: the end of its log.
    std::error_code ec;
    auto size = std::filesystem::file_size(logFile(sessionId), ec);
    if (ec) return std::nullopt;
    auto slice =
        output(sessionId, size > kScrollbackBytes ? size - kScrollbackBytes : 0, kScrollbackBytes);
    if (!slice) return std::nullopt;
    return Scrollback{std::move(slice->data), slice->end};
}

bool Supervisor::input(const std::string& sessionId, std::string_view data) {
    auto running = find(sessionId);
    if (!running) return false;
    std::lock_guard lock(running->mutex);
    int master = running->process.master();
    if (master < 0) return false;
    auto deadline = Clock::now() + std::chrono::seconds(2);
    while (!data.empty()) {
        ssize_t n = ::write(master, data.data(), data.size());
        if (n > 0) {
            data.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && Clock::now() < deadline) {
            pollfd pfd{master, POLLOUT, 0};
            ::poll(&pfd, 1, 50); // the program is not reading its input right now
            continue;
        }
        return false;
    }
    return true;
}

bool Supervisor::resize(const std::string& sessionId, int cols, int rows) {
    auto running = find(sessionId);
    if (!running) return false;
    std::lock_guard lock(running->mutex);
    return running->process.resize(cols, rows);
}

} // namespace maestro::host::spawn
