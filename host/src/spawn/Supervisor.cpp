#include "spawn/Supervisor.h"

#include "holder/Connection.h"
#include "holder/ProcessIdentity.h"
#include "holder/Protocol.h"
#include "holder/SessionFolder.h"
#include "json/Utf8.h"

#include <Poco/Logger.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace maestro::host::spawn {

namespace {

using Clock = std::chrono::steady_clock;
using holder::Type;
constexpr std::uint64_t kWakeupToken = 0;
constexpr std::size_t kScrollbackBytes = 1u << 20;
constexpr std::chrono::seconds kWriteTimeout{2};
constexpr int kMaxReconnects = 3;

Poco::Logger& logger() {
    return Poco::Logger::get("host.spawn");
}

// pread until `size` bytes or the end of the file.
std::size_t readAt(int fd, char* into, std::size_t size, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < size) {
        auto n = ::pread(fd, into + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

bool isContinuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The end of output.log without the start of a character the agent has not finished writing.
std::uint64_t characterBoundary(const std::filesystem::path& log) {
    int fd = ::open(log.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat info {};
    ::fstat(fd, &info);
    auto size = static_cast<std::uint64_t>(info.st_size);
    char tail[3];
    auto n = readAt(fd, tail, static_cast<std::size_t>(std::min<std::uint64_t>(3, size)),
                    size - std::min<std::uint64_t>(3, size));
    ::close(fd);
    return size - json::incompleteUtf8Tail({tail, n});
}

// How a session ended when no holder is there to say: exit.info, which a holder writes before
// it tells anyone; without it the holder was lost, so the agent's processes are ended and the
// session fails.
ProcessExit endFromFolder(const std::filesystem::path& dir, const std::string& sessionId,
                          const holder::Welcome& welcome) {
    ProcessExit exit;
    exit.sessionId = sessionId;
    if (auto info = holder::readExitInfo(dir)) {
        exit.exitCode = info->exitCode;
        exit.signal = info->signal;
        exit.stopRequested = info->stopRequested;
        exit.endedAtMs = info->endedAtMs;
        return exit;
    }
    auto identity = holder::readHolderInfo(dir);
    if (!identity && welcome.agentPid == 0) {
        exit.failure = "no holder keeps the session: maestro-server stopped before it was up, "
                       "or an older maestro-server ran it";
        return exit;
    }
    auto agentPid = identity ? identity->agentPid : static_cast<pid_t>(welcome.agentPid);
    auto startTicks = identity ? identity->agentStartTicks : welcome.agentStartTicks;
    auto boot = identity ? identity->bootId : holder::bootId();
    auto holderPid = identity ? identity->holderPid : static_cast<pid_t>(welcome.holderPid);
    auto ended = holder::endAgentSession(agentPid, startTicks, boot);
    exit.failure = "its holder (maestro-session, pid " + std::to_string(holderPid) +
                   ") ended without reporting how the agent ended; " +
                   (ended ? std::to_string(ended) + " process(es) of the agent were ended"
                          : std::string("no process of the agent was left"));
    return exit;
}

std::string frame(Type type, std::string_view payload = {}) {
    std::string out;
    holder::appendFrame(out, type, payload);
    return out;
}

} // namespace

struct Supervisor::Link {
    std::string sessionId;
    std::uint64_t token = 0;
    std::mutex writeMutex; // frames from different threads never interleave; guards fd
    int fd = -1;
    // The rest belongs to the supervisor thread.
    holder::FrameReader reader;
    std::uint64_t next = 0; // the offset of the next byte expected from the holder
    std::string carry;      // an incomplete UTF-8 sequence ending at `next`
    bool ended = false;
    holder::Welcome welcome;
    int reconnects = 0;
};

Supervisor::Supervisor(std::filesystem::path sessionsDir, std::filesystem::path holderProgram,
                       Callbacks callbacks)
    : sessionsDir_(std::move(sessionsDir)), holderProgram_(std::move(holderProgram)),
      onOutput_(std::move(callbacks.output)), onExit_(std::move(callbacks.exit)),
      onInput_(std::move(callbacks.input)), onResize_(std::move(callbacks.resize)) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wakeup_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeupToken;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wakeup_, &ev);
    thread_ = std::thread([this] { run(); });
}

Supervisor::~Supervisor() {
    stopping_ = true;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeup_, &one, sizeof one);
    thread_.join();
    for (auto& [id, link] : links_) {
        std::lock_guard lock(link->writeMutex);
        ::close(std::exchange(link->fd, -1));
    }
    // Holders still running stay so; the system reaps them once this process has gone.
    for (auto& [token, child] : children_)
        ::close(child.second);
    ::close(epoll_);
    ::close(wakeup_);
}

std::filesystem::path Supervisor::dir(const std::string& sessionId) const {
    return sessionsDir_ / sessionId;
}

std::shared_ptr<Supervisor::Link> Supervisor::find(const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto it = links_.find(sessionId);
    return it == links_.end() ? nullptr : it->second;
}

std::shared_ptr<Supervisor::Link> Supervisor::connect(const std::string& sessionId, int fd,
                                                      std::uint64_t from) {
    auto link = std::make_shared<Link>();
    link->sessionId = sessionId;
    link->fd = fd;
    link->next = from;
    {
        std::lock_guard lock(mutex_);
        link->token = nextToken_++;
        links_[sessionId] = link;
        tokens_[link->token] = link;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = link->token;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
    send(*link, frame(Type::Hello, holder::helloPayload()) +
                    frame(Type::Attach, holder::offsetPayload(from)));
    return link;
}

pid_t Supervisor::launch(const std::string& sessionId, const LaunchOptions& options) {
    auto folder = dir(sessionId);
    holder::createSessionFolder(folder);
    auto launched = launchHolder(holderProgram_, folder, options);
    if (launched.pidfd >= 0) {
        std::lock_guard lock(mutex_);
        auto token = nextToken_++;
        children_[token] = {launched.holderPid, launched.pidfd};
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = token;
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, launched.pidfd, &ev);
    }
    int fd = holder::connectToHolder(folder);
    if (fd < 0) {
        std::string reason = std::strerror(errno);
        // Still this server's unreaped child, so the pid is its own: SIGTERM ends the agent
        // and then the holder.
        ::kill(launched.holderPid, SIGTERM);
        throw SpawnFailure("cannot connect to the session's holder: " + reason);
    }
    auto link = connect(sessionId, fd, 0);
    logger().information("session %s: started %s as pid %d in holder %d", sessionId,
                         options.command, static_cast<int>(launched.agentPid),
                         static_cast<int>(launched.holderPid));
    return launched.agentPid;
}

std::optional<pid_t> Supervisor::reattach(const std::string& sessionId) {
    auto folder = dir(sessionId);
    int fd = holder::connectToHolder(folder);
    // The agent ended while no server ran: its holder wrote exit.info before anything else, and
    // output.log is complete. Record the end now and let the holder go.
    if (fd >= 0 && holder::readExitInfo(folder)) {
        holder::Connection(fd).send(Type::Release);
        fd = -1;
    }
    if (fd < 0) {
        finish(endFromFolder(folder, sessionId, {}));
        return std::nullopt;
    }
    connect(sessionId, fd, characterBoundary(folder / holder::kOutputFile));
    auto identity = holder::readHolderInfo(folder);
    return identity ? identity->agentPid : 0;
}

bool Supervisor::isRunning(const std::string& sessionId) const {
    return find(sessionId) != nullptr;
}

std::size_t Supervisor::runningCount() const {
    std::lock_guard lock(mutex_);
    return links_.size();
}

bool Supervisor::send(Link& link, const std::string& frames) {
    std::lock_guard lock(link.writeMutex);
    if (link.fd < 0) return false;
    std::string_view rest = frames;
    auto deadline = Clock::now() + kWriteTimeout;
    while (!rest.empty()) {
        auto n = ::send(link.fd, rest.data(), rest.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            rest.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && Clock::now() < deadline) {
            pollfd pfd{link.fd, POLLOUT, 0};
            ::poll(&pfd, 1, 50);
            continue;
        }
        // A half-written frame would garble the stream: cut the connection; the supervisor
        // thread connects again, or finds the holder gone.
        ::shutdown(link.fd, SHUT_RDWR);
        return false;
    }
    return true;
}

bool Supervisor::stop(const std::string& sessionId, std::chrono::milliseconds grace) {
    auto link = find(sessionId);
    if (!link) return false;
    return send(*link, frame(Type::Stop, holder::stopPayload(static_cast<std::uint32_t>(
                                             std::max<long long>(grace.count(), 0)))));
}

void Supervisor::stopAll(std::chrono::milliseconds grace) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, link] : links_)
            ids.push_back(id);
    }
    for (const auto& id : ids)
        stop(id, grace);
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, grace + std::chrono::seconds(5), [this] { return links_.empty(); });
    changed_.wait_for(lock, std::chrono::seconds(5), [this] { return children_.empty(); });
}

void Supervisor::run() {
    epoll_event events[64];
    while (!stopping_) {
        int n = ::epoll_wait(epoll_, events, 64, -1);
        for (int i = 0; i < n; ++i) {
            auto token = events[i].data.u64;
            if (token == kWakeupToken) {
                std::uint64_t count;
                while (::read(wakeup_, &count, sizeof count) > 0) {
                }
                continue;
            }
            std::shared_ptr<Link> link;
            bool child = false;
            {
                std::lock_guard lock(mutex_);
                if (auto it = tokens_.find(token); it != tokens_.end())
                    link = it->second;
                else
                    child = children_.count(token) > 0;
            }
            if (link)
                onReadable(link);
            else if (child)
                reap(token);
        }
    }
}

void Supervisor::reap(std::uint64_t token) {
    std::lock_guard lock(mutex_);
    auto it = children_.find(token);
    if (it == children_.end()) return;
    auto [pid, pidfd] = it->second;
    if (::waitpid(pid, nullptr, WNOHANG) == 0) return; // not yet
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, pidfd, nullptr);
    ::close(pidfd);
    children_.erase(it);
    changed_.notify_all();
}

void Supervisor::onReadable(const std::shared_ptr<Link>& link) {
    char buffer[65536];
    for (int reads = 0; reads < 16 && !link->ended; ++reads) {
        auto n = ::recv(link->fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n <= 0) return onLost(link);
        link->reader.feed({buffer, static_cast<std::size_t>(n)});
        try {
            while (!link->ended) {
                auto next = link->reader.next();
                if (!next) break;
                onFrame(link, static_cast<std::uint8_t>(next->type), next->payload);
            }
        } catch (const holder::ProtocolError& error) {
            logger().error("session %s: the holder broke the protocol (%s)", link->sessionId,
                           std::string(error.what()));
            return onLost(link);
        }
    }
}

void Supervisor::onFrame(const std::shared_ptr<Link>& link, std::uint8_t type,
                         std::string& payload) {
    switch (static_cast<Type>(type)) {
    case Type::Welcome:
        link->welcome = holder::parseWelcome(payload);
        return;
    case Type::Output: {
        holder::PayloadReader in(payload);
        auto offset = in.u64();
        auto data = in.rest();
        if (offset + data.size() <= link->next) return; // had it already
        if (offset < link->next) {
            data.remove_prefix(static_cast<std::size_t>(link->next - offset));
            offset = link->next;
        } else if (offset > link->next) {
            logger().warning("session %s: output from %?d, expected %?d", link->sessionId, offset,
                             link->next);
            link->carry.clear();
        }
        // Whole UTF-8 characters only: an incomplete one waits for the rest.
        std::string chunk = std::move(link->carry);
        auto chunkOffset = offset - chunk.size();
        chunk.append(data);
        link->next = offset + data.size();
        auto tail = json::incompleteUtf8Tail(chunk);
        link->carry = chunk.substr(chunk.size() - tail);
        chunk.resize(chunk.size() - tail);
        if (!chunk.empty() && onOutput_) onOutput_(link->sessionId, chunkOffset, std::move(chunk));
        return;
    }
    case Type::State: {
        auto state = holder::parseState(payload);
        if (!state.exited) return;
        // An exit notice that overtook our Attach: the output, then the notice again, follow.
        if (link->next < state.outputEnd) return;
        // Everything the agent wrote has arrived; what is left of a character is its last word.
        if (!link->carry.empty() && onOutput_)
            onOutput_(link->sessionId, link->next - link->carry.size(), std::move(link->carry));
        send(*link, frame(Type::Release));
        link->ended = true;
        unlink(*link);
        ProcessExit exit;
        exit.sessionId = link->sessionId;
        exit.exitCode = state.exitCode;
        exit.signal = state.signal;
        exit.stopRequested = state.stopRequested;
        exit.endedAtMs = state.endedAtMs;
        logger().information("session %s: pid %u ended (exit code %d, signal %d)", link->sessionId,
                             link->welcome.agentPid, state.exitCode,
                             static_cast<int>(state.signal));
        return finish(exit);
    }
    case Type::Error: {
        holder::PayloadReader in(payload);
        in.u8();
        logger().warning("session %s: the holder refused a request: %s", link->sessionId,
                         std::string(in.rest()));
        return;
    }
    default:
        return; // a newer holder's; nothing this server asked for
    }
}

void Supervisor::onLost(const std::shared_ptr<Link>& link) {
    if (link->ended) return;
    link->ended = true;
    unlink(*link);
    auto folder = dir(link->sessionId);
    // The holder may only have dropped the connection: try again before giving it up.
    int fd = link->reconnects < kMaxReconnects ? holder::connectToHolder(folder) : -1;
    if (fd >= 0) {
        logger().warning("session %s: connection to the holder lost; connected again",
                         link->sessionId);
        auto fresh = connect(link->sessionId, fd, link->next - link->carry.size());
        fresh->welcome = link->welcome;
        fresh->reconnects = link->reconnects + 1;
        return;
    }
    auto exit = endFromFolder(folder, link->sessionId, link->welcome);
    if (!exit.failure.empty()) logger().error("session %s: %s", link->sessionId, exit.failure);
    finish(exit);
}

void Supervisor::unlink(Link& link) {
    {
        std::lock_guard lock(link.writeMutex);
        if (link.fd >= 0) {
            ::epoll_ctl(epoll_, EPOLL_CTL_DEL, link.fd, nullptr);
            ::close(std::exchange(link.fd, -1));
        }
    }
    std::lock_guard lock(mutex_);
    if (auto it = links_.find(link.sessionId); it != links_.end() && it->second.get() == &link)
        links_.erase(it);
    tokens_.erase(link.token);
}

void Supervisor::finish(const ProcessExit& exit) {
    if (onExit_) onExit_(exit);
    std::lock_guard lock(mutex_);
    changed_.notify_all();
}

std::optional<Supervisor::Slice> Supervisor::output(const std::string& sessionId,
                                                    std::uint64_t since, std::size_t maxBytes) {
    int fd = ::open((dir(sessionId) / holder::kOutputFile).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat info {};
    ::fstat(fd, &info);
    auto size = static_cast<std::uint64_t>(info.st_size);
    Slice slice;
    slice.start = std::min(since, size);
    // Start on a character: a position inside one moves on to the next.
    char lead[3];
    auto ahead = readAt(fd, lead, 3, slice.start);
    for (std::size_t i = 0; i < ahead && isContinuation(lead[i]); ++i)
        ++slice.start;
    slice.data.resize(
        static_cast<std::size_t>(std::min<std::uint64_t>(size - slice.start, maxBytes)));
    slice.data.resize(readAt(fd, slice.data.data(), slice.data.size(), slice.start));
    ::close(fd);
    // End on a character too, unless these are the last bytes the session will ever write.
    bool final = slice.start + slice.data.size() == size && !isRunning(sessionId);
    if (!final) slice.data.resize(slice.data.size() - json::incompleteUtf8Tail(slice.data));
    slice.end = slice.start + slice.data.size();
    return slice;
}

std::optional<ws::TerminalBridge::Scrollback> Supervisor::scrollback(const std::string& sessionId,
                                                                     std::uint64_t from) {
    std::error_code ec;
    auto size = std::filesystem::file_size(dir(sessionId) / holder::kOutputFile, ec);
    if (ec) return std::nullopt;
    if (size > kScrollbackBytes) from = std::max<std::uint64_t>(from, size - kScrollbackBytes);
    auto slice = output(sessionId, from, kScrollbackBytes);
    if (!slice) return std::nullopt;
    return Scrollback{std::move(slice->data), slice->end};
}

bool Supervisor::input(const std::string& sessionId, std::string_view data) {
    auto link = find(sessionId);
    if (!link) return false;
    std::string frames;
    for (std::size_t at = 0; at < data.size(); at += holder::kMaxChunk)
        holder::appendFrame(frames, Type::Input, data.substr(at, holder::kMaxChunk));
    if (!send(*link, frames)) return false;
    if (onInput_) onInput_(sessionId);
    return true;
}

bool Supervisor::resize(const std::string& sessionId, int cols, int rows) {
    auto link = find(sessionId);
    if (!link || !send(*link, frame(Type::Resize, holder::resizePayload(cols, rows)))) return false;
    if (onResize_) onResize_(sessionId, cols, rows);
    return true;
}

} // namespace maestro::host::spawn
