#include "http/HttpServer.h"

#include "domain/ApiError.h"
#include "http/ErrorMapper.h"
#include "http/ResponseBytes.h"
#include "http/WorkerPool.h"
#include "ws/Hub.h"

#include <Poco/Logger.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace maestro::host::http {

using domain::ApiError;

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kListenerId = 0;
constexpr std::uint64_t kWakeupId = 1;
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr int kMaxEvents = 256;
// After an error answer the server stops sending but keeps reading (and dropping) for a
// while, so a client still sending its body reads the answer instead of a reset.
constexpr auto kLinger = std::chrono::seconds(2);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr auto kRefusalLogInterval = std::chrono::minutes(1);
constexpr int kTurnSteps = 64; // reads, requests and writes for one connection per turn

Poco::Logger& logger() {
    return Poco::Logger::get("host.http");
}

enum class Phase {
    Idle,      // waiting for the first byte of a request
    Head,      // reading a request's head
    Body,      // reading its body
    Handling,  // a worker has the request
    Sending,   // writing the response
    Lingering, // answered and half-closed; draining what the client still sends
    Closed,
};

// The phases with a deadline; each has a list of connections ordered by deadline, since
// every connection in it got the same timeout when it entered.
enum Timer { kIdleTimer, kHeadTimer, kBodyTimer, kSendTimer, kLingerTimer, kTimerCount };

int timerOf(Phase phase) {
    switch (phase) {
    case Phase::Idle:
        return kIdleTimer;
    case Phase::Head:
        return kHeadTimer;
    case Phase::Body:
        return kBodyTimer;
    case Phase::Sending:
        return kSendTimer;
    case Phase::Lingering:
        return kLingerTimer;
    default:
        return -1;
    }
}

std::string millis(std::chrono::milliseconds duration) {
    return std::to_string(duration.count()) + " ms";
}

Framing framingOf(const Poco::Net::HTTPRequest& head) {
    return {head.getVersion() == Poco::Net::HTTPMessage::HTTP_1_0, head.getKeepAlive(),
            head.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD};
}

std::string refusal(std::size_t limit) {
    auto response = errorResponse(
        ApiError(503, "too_many_connections",
                 "The server has " + std::to_string(limit) + " connections open; retry shortly",
                 "{\"limit\":" + std::to_string(limit) + "}"));
    return toBytes(response, {false, false, false});
}

} // namespace

struct Connection {
    std::uint64_t id = 0;
    int fd = -1;
    Phase phase = Phase::Idle;
    RequestReader reader;
    std::string in;         // bytes read past the request being handled (pipelined requests)
    std::size_t inUsed = 0; // of them, fed to the reader already
    std::string out;
    std::size_t outSent = 0;
    bool readable = false; // edge-triggered: the socket may hold bytes not read yet
    bool hangUp = false;   // the peer closed (its side of) the connection
    bool closeAfterSend = false;
    bool upgradeAfterSend = false;
    // The deadline list the connection is on (-1: none), as an intrusive doubly linked list.
    int timer = -1;
    Clock::time_point deadline;
    Connection* prev = nullptr;
    Connection* next = nullptr;

    Connection(std::uint64_t id_, int fd_, const RequestLimits& limits)
        : id(id_), fd(fd_), reader(limits) {}
};

// A complete request on its way to a worker, and its answer on the way back.
struct Job {
    std::uint64_t connection = 0;
    std::unique_ptr<IncomingRequest> request;
    Framing framing;
};

struct Completion {
    std::uint64_t connection = 0;
    std::string bytes;
    bool close = false;
    bool upgrade = false;
};

class HttpServer::Loop {
public:
    Loop(Poco::Net::ServerSocket& listener, const Dispatcher& dispatcher, ws::Hub& hub,
         ServerOptions options)
        : listener_(listener), dispatcher_(dispatcher), hub_(hub), options_(options),
          buffer_(new char[kReadChunk]) {
        durations_ = {options.idleTimeout, options.headerTimeout, options.bodyTimeout,
                      options.sendTimeout, std::chrono::duration_cast<Clock::duration>(kLinger)};
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        wakeup_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        reserve_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (epoll_ < 0 || wakeup_ < 0) throw std::runtime_error("cannot create epoll/eventfd");
        listener_.setBlocking(false);
        if (!watch(wakeup_, kWakeupId, EPOLLIN) ||
            !watch(listener_.impl()->sockfd(), kListenerId, EPOLLIN))
            throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
        pool_ = std::make_unique<WorkerPool<Job>>(options.workers, "http-worker",
                                                  [this](Job& job) { work(job); });
    }

    ~Loop() {
        for (auto& [id, conn] : connections_)
            if (conn->fd >= 0) ::close(conn->fd);
        ::close(epoll_);
        ::close(wakeup_);
        if (reserve_ >= 0) ::close(reserve_);
    }

    void run() {
        epoll_event events[kMaxEvents];
        while (!stopping_) {
            int n = ::epoll_wait(epoll_, events, kMaxEvents, again_.empty() ? waitMillis() : 0);
            if (n < 0 && errno != EINTR) {
                logger().error("epoll_wait failed: %s", std::string{std::strerror(errno)});
                break;
            }
            now_ = Clock::now();
            for (int i = 0; i < n; ++i) {
                auto id = events[i].data.u64;
                if (id == kListenerId) {
                    acceptAll();
                } else if (id == kWakeupId) {
                    std::uint64_t count;
                    while (::read(wakeup_, &count, sizeof count) > 0) {
                    }
                    processInbox();
                } else if (auto* conn = find(id)) {
                    conn->readable = true;
                    if (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) conn->hangUp = true;
                    service(*conn);
                }
            }
            serviceAgain();
            expireTimers();
            buryClosed();
        }
        for (auto& [id, conn] : connections_) {
            if (conn->phase == Phase::Sending) {
                [[maybe_unused]] auto sent =
                    ::send(conn->fd, conn->out.data() + conn->outSent,
                           conn->out.size() - conn->outSent, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
            ::close(conn->fd);
            conn->fd = -1;
        }
        connections_.clear();
    }

    // From any thread.
    void stopAccepting() { post(Command{Command::Kind::StopAccepting, {}}); }
    void stop() {
        pool_->stop(); // every request being handled is answered first
        post(Command{Command::Kind::Stop, {}});
    }

private:
    struct Command {
        enum class Kind { Complete, StopAccepting, Stop } kind;
        Completion completion;
    };

    bool watch(int fd, std::uint64_t id, std::uint32_t events) {
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = id;
        return ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) == 0;
    }

    void post(Command command) {
        {
            std::lock_guard lock(inboxMutex_);
            inbox_.push_back(std::move(command));
            // The loop takes the whole inbox per wake-up: only the first command needs one.
            if (inbox_.size() > 1) return;
        }
        std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wakeup_, &one, sizeof one);
    }

    // On a worker thread.
    void work(Job& job) {
        auto outcome = dispatcher_.dispatch(*job.request);
        post(Command{Command::Kind::Complete,
                     {job.connection, toBytes(outcome.response, job.framing),
                      !job.framing.keepAlive, outcome.upgrade}});
    }

    void processInbox() {
        std::vector<Command> commands;
        {
            std::lock_guard lock(inboxMutex_);
            commands.swap(inbox_);
        }
        for (auto& command : commands) {
            switch (command.kind) {
            case Command::Kind::Complete: {
                auto* conn = find(command.completion.connection);
                if (!conn || conn->phase != Phase::Handling) break;
                auto& done = command.completion;
                startSending(*conn, std::move(done.bytes), done.close || draining_, done.upgrade);
                service(*conn);
                break;
            }
            case Command::Kind::StopAccepting:
                draining_ = true;
                ::epoll_ctl(epoll_, EPOLL_CTL_DEL, listener_.impl()->sockfd(), nullptr);
                for (auto& [id, conn] : connections_)
                    if (conn->phase != Phase::Handling && conn->phase != Phase::Sending)
                        closeNow(*conn);
                break;
            case Command::Kind::Stop:
                stopping_ = true;
                break;
            }
        }
    }

    Connection* find(std::uint64_t id) {
        auto it = connections_.find(id);
        return it == connections_.end() || it->second->phase == Phase::Closed ? nullptr
                                                                              : it->second.get();
    }

    // ---- accepting ----

    std::size_t openConnections() const { return connections_.size() + hub_.connectionCount(); }

    void acceptAll() {
        const int listenFd = listener_.impl()->sockfd();
        for (int accepted = 0; accepted < kMaxEvents; ++accepted) {
            int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                if (errno == EMFILE || errno == ENFILE) {
                    refuseWithoutDescriptors(listenFd);
                    continue;
                }
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    logger().error("accept failed: %s", std::string{std::strerror(errno)});
                return;
            }
            if (openConnections() >= options_.maxConnections) {
                refuse(fd);
                continue;
            }
            // Without TCP_NODELAY a response written while an earlier one is unacknowledged
            // would wait for the client's delayed ACK.
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            auto id = nextId_++;
            // Edge-triggered both ways: no epoll_ctl per request; what is pending is
            // remembered in readable/out instead.
            if (!watch(fd, id, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)) {
                logger().error("cannot watch a connection: %s", std::string{std::strerror(errno)});
                ::close(fd);
                continue;
            }
            auto conn = std::make_unique<Connection>(id, fd, options_.limits);
            setTimer(*conn, kIdleTimer);
            connections_.emplace(id, std::move(conn));
        }
    }

    // Beyond the cap a connection gets a 503 in the error shape, then is closed: a client
    // learns why instead of hanging or seeing a reset.
    void refuse(int fd) {
        if (now_ - lastRefusalLog_ >= kRefusalLogInterval) {
            logger().warning("connection limit (%z) reached: refusing new connections with 503",
                             options_.maxConnections);
            lastRefusalLog_ = now_;
        }
        // Read what the client already sent, so closing does not reset the connection.
        [[maybe_unused]] auto read = ::recv(fd, buffer_.get(), kReadChunk, MSG_DONTWAIT);
        auto bytes = refusal(options_.maxConnections);
        [[maybe_unused]] auto sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        ::shutdown(fd, SHUT_WR);
        ::close(fd);
    }

    // Out of descriptors: a spare one, kept open for this, makes room to accept the connection
    // and refuse it the same way; otherwise it would stay queued and the loop would spin.
    void refuseWithoutDescriptors(int listenFd) {
        if (now_ - lastDescriptorLog_ >= kRefusalLogInterval) {
            logger().warning("out of file descriptors (%z connections open)", openConnections());
            lastDescriptorLog_ = now_;
        }
        if (reserve_ < 0) return;
        ::close(reserve_);
        int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) refuse(fd);
        reserve_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }

    // ---- one connection ----

    // Moves the connection as far as it can go without blocking.
    // A turn is bounded: a client pipelining requests (or sending after its answer) as fast as
    // it can gets kTurnSteps, then waits behind the other connections ready in this round.
    void service(Connection& conn) {
        for (int step = 0; step < kTurnSteps; ++step) {
            switch (conn.phase) {
            case Phase::Idle:
            case Phase::Head:
            case Phase::Body:
                if (!readStep(conn)) return;
                break;
            case Phase::Sending:
                if (!flushStep(conn)) return;
                break;
            case Phase::Lingering:
                if (!drain(conn)) return;
                break;
            case Phase::Handling:
            case Phase::Closed:
                return;
            }
        }
        again_.push_back(conn.id); // edge-triggered: no new event would come for what is left
    }

    void serviceAgain() {
        auto ids = std::move(again_);
        again_.clear();
        for (auto id : ids)
            if (auto* conn = find(id)) service(*conn);
    }

    // Feeds the reader until a request is complete (it is started) or has failed (the error
    // is answered), or the socket has nothing more for now. True when the phase moved on.
    bool readStep(Connection& conn) {
        for (;;) {
            if (conn.inUsed < conn.in.size()) {
                conn.inUsed += conn.reader.feed(std::string_view(conn.in).substr(conn.inUsed));
                if (conn.inUsed == conn.in.size()) {
                    std::string().swap(conn.in); // an idle connection keeps no buffer
                    conn.inUsed = 0;
                }
            }
            if (afterFeed(conn)) return true;
            if (!conn.readable) return false;
            auto n = ::recv(conn.fd, buffer_.get(), kReadChunk, 0);
            if (n > 0) {
                std::string_view data(buffer_.get(), static_cast<std::size_t>(n));
                auto used = conn.reader.feed(data);
                if (used < data.size()) conn.in.append(data.substr(used));
                // A short read emptied the socket and a later arrival raises a new edge — but
                // the end of the stream may already be waiting behind the data.
                if (static_cast<std::size_t>(n) < kReadChunk && !conn.hangUp) conn.readable = false;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                conn.readable = false;
                return false;
            }
            if (n == 0) {
                conn.readable = false;
                conn.reader.endOfInput(); // a request cut short is answered (400), not dropped
                if (afterFeed(conn)) return true;
            }
            closeNow(conn);
            return false;
        }
    }

    // Acts on the reader's state after it was fed. True when the phase moved on.
    bool afterFeed(Connection& conn) {
        switch (conn.reader.state()) {
        case RequestReader::State::Complete:
            startRequest(conn);
            return true;
        case RequestReader::State::Failed:
            startSending(conn, toBytes(errorResponse(conn.reader.error()), {false, false, false}),
                         true, false);
            return true;
        case RequestReader::State::Idle:
            enter(conn, Phase::Idle);
            return false;
        case RequestReader::State::Head:
            enter(conn, Phase::Head);
            return false;
        case RequestReader::State::Body:
            enter(conn, Phase::Body);
            if (conn.reader.takeExpectContinue()) {
                [[maybe_unused]] auto sent =
                    ::send(conn.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
            }
            return false;
        }
        return false;
    }

    // Answers the request here when it needs no worker; hands it to one otherwise.
    void startRequest(Connection& conn) {
        Job job{conn.id, conn.reader.take(), {}};
        job.framing = framingOf(job.request->head);
        job.framing.keepAlive = job.framing.keepAlive && !draining_;
        if (auto outcome = dispatcher_.dispatchOnLoop(*job.request)) {
            startSending(conn, toBytes(outcome->response, job.framing), !job.framing.keepAlive,
                         outcome->upgrade);
            return;
        }
        enter(conn, Phase::Handling);
        pool_->submit(std::move(job));
    }

    void startSending(Connection& conn, std::string bytes, bool close, bool upgrade) {
        conn.out = std::move(bytes);
        conn.outSent = 0;
        conn.closeAfterSend = close;
        conn.upgradeAfterSend = upgrade;
        enter(conn, Phase::Sending);
    }

    // Writes what the socket takes. True when the response is out and the connection waits
    // for its next request.
    bool flushStep(Connection& conn) {
        bool progress = false;
        while (conn.outSent < conn.out.size()) {
            auto n = ::send(conn.fd, conn.out.data() + conn.outSent, conn.out.size() - conn.outSent,
                            MSG_NOSIGNAL);
            if (n > 0) {
                conn.outSent += static_cast<std::size_t>(n);
                progress = true;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (progress) setTimer(conn, kSendTimer); // the deadline counts from progress
                return false;                             // EPOLLOUT will say when to go on
            }
            closeNow(conn);
            return false;
        }
        conn.out = std::string();
        if (conn.upgradeAfterSend) {
            handOver(conn);
            return false;
        }
        if (conn.closeAfterSend || draining_) {
            ::shutdown(conn.fd, SHUT_WR);
            enter(conn, Phase::Lingering);
            return true;
        }
        enter(conn, Phase::Idle);
        return true;
    }

    // Reads and drops one chunk of what a lingering connection still sends; true when there
    // may be more.
    bool drain(Connection& conn) {
        for (;;) {
            auto n = ::recv(conn.fd, buffer_.get(), kReadChunk, 0);
            if (n > 0) return true;
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
            closeNow(conn);
            return false;
        }
    }

    // The WebSocket hub takes the socket, with the bytes that came after the upgrade request.
    void handOver(Connection& conn) {
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, conn.fd, nullptr);
        clearTimer(conn);
        conn.phase = Phase::Closed;
        graveyard_.push_back(conn.id);
        Poco::Net::StreamSocket socket(new Poco::Net::StreamSocketImpl(conn.fd));
        conn.fd = -1;
        hub_.adopt(socket, conn.in.substr(conn.inUsed));
    }

    void closeNow(Connection& conn) {
        if (conn.phase == Phase::Closed) return;
        clearTimer(conn);
        ::close(conn.fd);
        conn.fd = -1;
        conn.phase = Phase::Closed;
        graveyard_.push_back(conn.id);
    }

    // Connections closed during an iteration are freed at its end, when nothing refers to them.
    void buryClosed() {
        for (auto id : graveyard_)
            connections_.erase(id);
        graveyard_.clear();
    }

    // ---- deadlines ----

    void enter(Connection& conn, Phase phase) {
        if (conn.phase == phase) return;
        conn.phase = phase;
        setTimer(conn, timerOf(phase));
    }

    void setTimer(Connection& conn, int timer) {
        clearTimer(conn);
        if (timer < 0) return;
        auto& list = timers_[static_cast<std::size_t>(timer)];
        conn.timer = timer;
        conn.deadline = now_ + durations_[static_cast<std::size_t>(timer)];
        conn.prev = list.tail;
        conn.next = nullptr;
        (list.tail ? list.tail->next : list.head) = &conn;
        list.tail = &conn;
    }

    void clearTimer(Connection& conn) {
        if (conn.timer < 0) return;
        auto& list = timers_[static_cast<std::size_t>(conn.timer)];
        (conn.prev ? conn.prev->next : list.head) = conn.next;
        (conn.next ? conn.next->prev : list.tail) = conn.prev;
        conn.prev = conn.next = nullptr;
        conn.timer = -1;
    }

    int waitMillis() const {
        auto wait = std::chrono::milliseconds(1000);
        for (const auto& list : timers_)
            if (list.head) {
                auto left = std::chrono::ceil<std::chrono::milliseconds>(list.head->deadline -
                                                                         Clock::now());
                wait = std::clamp(left, std::chrono::milliseconds(0), wait);
            }
        return static_cast<int>(wait.count());
    }

    void expireTimers() {
        now_ = Clock::now();
        for (std::size_t timer = 0; timer < kTimerCount; ++timer) {
            auto& list = timers_[timer];
            while (list.head && list.head->deadline <= now_) {
                Connection& conn = *list.head;
                switch (timer) {
                case kHeadTimer:
                    timeOut(conn, "The request head did not arrive within " +
                                      millis(options_.headerTimeout));
                    break;
                case kBodyTimer:
                    timeOut(conn, "The request body did not arrive within " +
                                      millis(options_.bodyTimeout));
                    break;
                default: // idle, a client that stopped reading, or the end of a linger
                    closeNow(conn);
                    break;
                }
            }
        }
    }

    void timeOut(Connection& conn, std::string message) {
        startSending(conn,
                     toBytes(errorResponse(ApiError(408, "request_timeout", std::move(message))),
                             {false, false, false}),
                     true, false);
        service(conn);
    }

    struct TimerList {
        Connection* head = nullptr;
        Connection* tail = nullptr;
    };

    Poco::Net::ServerSocket& listener_;
    const Dispatcher& dispatcher_;
    ws::Hub& hub_;
    ServerOptions options_;
    std::unique_ptr<char[]> buffer_; // every read goes through it; connections keep leftovers
    std::array<Clock::duration, kTimerCount> durations_{};
    std::array<TimerList, kTimerCount> timers_{};
    Clock::time_point now_ = Clock::now();
    int epoll_ = -1;
    int wakeup_ = -1;
    int reserve_ = -1;
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
    std::vector<std::uint64_t> graveyard_;
    std::vector<std::uint64_t> again_; // connections whose turn ended with work left
    std::uint64_t nextId_ = 2;
    bool draining_ = false;
    bool stopping_ = false;
    // A flood is logged once a minute, not once a connection.
    Clock::time_point lastRefusalLog_ = Clock::now() - kRefusalLogInterval;
    Clock::time_point lastDescriptorLog_ = Clock::now() - kRefusalLogInterval;
    std::mutex inboxMutex_;
    std::vector<Command> inbox_;
    std::unique_ptr<WorkerPool<Job>> pool_;
};

HttpServer::HttpServer(Poco::Net::ServerSocket& listener, const Dispatcher& dispatcher,
                       ws::Hub& hub, ServerOptions options)
    : loop_(std::make_unique<Loop>(listener, dispatcher, hub, options)) {}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::start() {
    thread_ = std::thread([this] {
        ::pthread_setname_np(::pthread_self(), "http-loop");
        loop_->run();
    });
}

void HttpServer::stop() {
    if (!thread_.joinable()) return;
    loop_->stopAccepting();
    loop_->stop();
    thread_.join();
}

} // namespace maestro::host::http
