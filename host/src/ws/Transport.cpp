#include "ws/Transport.h"

#include "json/Utf8.h"

#include <Poco/Logger.h>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace maestro::host::ws {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kWakeupId = 0; // connection ids start at 1
constexpr auto kCloseGrace = std::chrono::seconds(5);

Poco::Logger& logger() {
    return Poco::Logger::get("host.ws");
}

SharedFrame controlFrame(Opcode opcode, std::string_view payload) {
    return std::make_shared<const std::string>(encodeFrame(opcode, payload));
}

} // namespace

struct Transport::Connection {
    ConnectionId id = 0;
    Poco::Net::StreamSocket socket;
    int fd = -1;
    std::string in;
    std::string fragments;
    std::optional<Opcode> fragmentOpcode;
    std::deque<SharedFrame> out;
    std::size_t outOffset = 0; // bytes of out.front() already sent
    std::size_t outBytes = 0;
    bool pollingOut = false;
    bool drainWanted = false;
    bool closing = false;
    Clock::time_point lastHeard = Clock::now();
    Clock::time_point lastPing = Clock::now();
    Clock::time_point closeDeadline{};
};

Transport::Transport(TransportOptions options, ConnectionHandler& handler,
                     std::function<void()> onWake)
    : options_(options), handler_(handler), onWake_(std::move(onWake)) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wakeup_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || wakeup_ < 0) {
        if (epoll_ >= 0) ::close(epoll_);
        if (wakeup_ >= 0) ::close(wakeup_);
        throw std::runtime_error("cannot create epoll/eventfd");
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeupId;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wakeup_, &ev);
}

Transport::~Transport() {
    ::close(epoll_);
    ::close(wakeup_);
}

void Transport::wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeup_, &one, sizeof one);
}

void Transport::stop() {
    stopping_ = true;
}

void Transport::run() {
    epoll_event events[128];
    auto lastHousekeeping = Clock::now();
    while (!stopping_) {
        int n = ::epoll_wait(epoll_, events, 128, 1000);
        if (n < 0 && errno != EINTR) {
            logger().error("epoll_wait failed: %s", std::string{std::strerror(errno)});
            break;
        }
        for (int i = 0; i < n; ++i) {
            if (events[i].data.u64 == kWakeupId) {
                std::uint64_t count;
                while (::read(wakeup_, &count, sizeof count) > 0) {
                }
                onWake_();
                continue;
            }
            Connection* conn = find(events[i].data.u64);
            if (conn == nullptr) continue;
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) onReadable(*conn);
            if ((events[i].events & EPOLLOUT) && find(events[i].data.u64) != nullptr)
                dirty_.insert(events[i].data.u64);
        }
        flushDirty();
        if (Clock::now() - lastHousekeeping >= std::chrono::seconds(1)) {
            housekeeping();
            flushDirty();
            lastHousekeeping = Clock::now();
        }
    }
    std::vector<ConnectionId> open;
    for (auto& [id, conn] : connections_) {
        auto bye = encodeClose(close_code::kGoingAway, "server shutting down");
        [[maybe_unused]] auto n =
            ::send(conn->fd, bye.data(), bye.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        open.push_back(id);
    }
    for (auto id : open)
        drop(id);
}

void Transport::adopt(Poco::Net::StreamSocket socket, std::string pendingBytes) {
    auto conn = std::make_unique<Connection>();
    conn->id = nextId_++;
    conn->socket = socket; // a handle: the copy shares the one socket
    conn->socket.setBlocking(false);
    conn->socket.setNoDelay(true);
    conn->fd = conn->socket.impl()->sockfd();
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = conn->id;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, conn->fd, &ev) != 0) {
        logger().error("cannot watch WebSocket: %s", std::string{std::strerror(errno)});
        return;
    }
    Connection& c = *conn;
    connections_.emplace(c.id, std::move(conn));
    ++connectionCount_;
    handler_.onOpen(c.id);
    if (!pendingBytes.empty()) {
        c.in = std::move(pendingBytes);
        parseFrames(c);
    }
}

Transport::Connection* Transport::find(ConnectionId id) {
    auto it = connections_.find(id);
    return it == connections_.end() ? nullptr : it->second.get();
}

void Transport::send(ConnectionId id, SharedFrame frame) {
    if (Connection* conn = find(id)) enqueue(*conn, std::move(frame));
}

Outbox::Offer Transport::offer(ConnectionId id, SharedFrame frame) {
    Connection* conn = find(id);
    if (conn == nullptr || conn->closing) return Offer::Queued;
    if (frame->size() > options_.maxQueuedBytes) return Offer::TooBig;
    if (!hasRoom(*conn, *frame)) return Offer::Full;
    enqueue(*conn, std::move(frame));
    return Offer::Queued;
}

void Transport::close(ConnectionId id, std::uint16_t code, std::string_view reason) {
    if (Connection* conn = find(id)) closeWith(*conn, code, reason);
}

void Transport::notifyWhenDrained(ConnectionId id) {
    Connection* conn = find(id);
    if (conn == nullptr || conn->closing) return;
    conn->drainWanted = true;
    dirty_.insert(id); // a queue that is already empty drains on the next flush
}

bool Transport::hasRoom(const Connection& conn, const std::string& frame) const {
    return conn.out.size() < options_.maxQueuedMessages &&
           conn.outBytes + frame.size() <= options_.maxQueuedBytes;
}

void Transport::enqueue(Connection& conn, SharedFrame frame) {
    if (conn.closing) return;
    if (!hasRoom(conn, *frame)) {
        logger().warning("closing slow WebSocket client %s (%z messages queued)",
                         std::to_string(conn.id), conn.out.size());
        closeWith(conn, close_code::kSlowConsumer, "send queue overflow; resubscribe with since");
        return;
    }
    conn.outBytes += frame->size();
    conn.out.push_back(std::move(frame));
    dirty_.insert(conn.id);
}

// Queues a close frame behind whatever is partly sent, and forgets the rest.
void Transport::closeWith(Connection& conn, std::uint16_t code, std::string_view reason) {
    if (conn.closing) return;
    while (conn.out.size() > (conn.outOffset ? 1u : 0u)) {
        conn.outBytes -= conn.out.back()->size();
        conn.out.pop_back();
    }
    auto frame = std::make_shared<const std::string>(encodeClose(code, reason));
    conn.outBytes += frame->size();
    conn.out.push_back(std::move(frame));
    conn.closing = true;
    conn.drainWanted = false;
    conn.closeDeadline = Clock::now() + kCloseGrace;
    dirty_.insert(conn.id);
}

void Transport::drop(ConnectionId id) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, it->second->fd, nullptr);
    it->second->socket.close();
    connections_.erase(it);
    --connectionCount_;
    dirty_.erase(id);
    handler_.onClosed(id);
}

void Transport::watchWritable(Connection& conn, bool on) {
    if (conn.pollingOut == on) return;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
    ev.data.u64 = conn.id;
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, conn.fd, &ev);
    conn.pollingOut = on;
}

void Transport::flushDirty() {
    while (!dirty_.empty()) {
        auto ids = std::move(dirty_);
        dirty_.clear();
        for (auto id : ids) {
            if (Connection* conn = find(id)) flush(*conn);
        }
    }
}

// Writes as much of the queue as the socket takes. Once it is empty, a connection that asked
// to hear about it is told (the protocol queues its next replay page then), and what that
// queued is written in the same pass.
void Transport::flush(Connection& conn) {
    for (;;) {
        while (!conn.out.empty()) {
            iovec iov[64];
            std::size_t count = 0;
            for (auto it = conn.out.begin(); it != conn.out.end() && count < 64; ++it, ++count) {
                std::size_t skip = count == 0 ? conn.outOffset : 0;
                iov[count].iov_base = const_cast<char*>((*it)->data() + skip);
                iov[count].iov_len = (*it)->size() - skip;
            }
            msghdr msg{};
            msg.msg_iov = iov;
            msg.msg_iovlen = count;
            ssize_t sent = ::sendmsg(conn.fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (sent < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    watchWritable(conn, true);
                    return;
                }
                drop(conn.id);
                return;
            }
            auto left = static_cast<std::size_t>(sent);
            while (left > 0) {
                std::size_t rest = conn.out.front()->size() - conn.outOffset;
                if (left >= rest) {
                    left -= rest;
                    conn.outBytes -= conn.out.front()->size();
                    conn.out.pop_front();
                    conn.outOffset = 0;
                } else {
                    conn.outOffset += left;
                    left = 0;
                }
            }
        }
        watchWritable(conn, false);
        if (conn.closing) {
            ::shutdown(conn.fd, SHUT_WR);
            drop(conn.id);
            return;
        }
        if (!conn.drainWanted) return;
        conn.drainWanted = false;
        handler_.onDrained(conn.id); // only queues: conn stays valid
        if (conn.out.empty() && !conn.closing) return;
    }
}

void Transport::onReadable(Connection& conn) {
    char buffer[64 * 1024];
    for (;;) {
        ssize_t n = ::recv(conn.fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            conn.lastHeard = Clock::now();
            if (!conn.closing) conn.in.append(buffer, static_cast<std::size_t>(n));
            if (static_cast<std::size_t>(n) < sizeof buffer) break;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        drop(conn.id); // closed by the peer, or broken
        return;
    }
    parseFrames(conn);
}

void Transport::parseFrames(Connection& conn) {
    std::size_t used = 0;
    while (!conn.closing) {
        auto result =
            decodeClientFrame(std::string_view{conn.in}.substr(used), options_.maxMessageBytes);
        if (result.status == DecodeResult::Status::NeedMore) break;
        if (result.status == DecodeResult::Status::Invalid) {
            closeWith(conn, result.closeCode, result.error);
            break;
        }
        used += result.consumed;
        onFrame(conn, std::move(result.frame));
    }
    conn.in.erase(0, used);
}

void Transport::onFrame(Connection& conn, Frame frame) {
    std::optional<Opcode> complete; // the opcode of a message that is now whole
    switch (frame.opcode) {
    case Opcode::Ping:
        enqueue(conn, controlFrame(Opcode::Pong, frame.payload));
        return;
    case Opcode::Pong:
        return;
    case Opcode::Close: {
        std::uint16_t code = close_code::kNormal;
        if (frame.payload.size() >= 2)
            code = static_cast<std::uint16_t>((static_cast<unsigned char>(frame.payload[0]) << 8) |
                                              static_cast<unsigned char>(frame.payload[1]));
        closeWith(conn, code, "");
        return;
    }
    case Opcode::Continuation:
        if (!conn.fragmentOpcode)
            return closeWith(conn, close_code::kProtocolError, "unexpected continuation");
        if (conn.fragments.size() + frame.payload.size() > options_.maxMessageBytes)
            return closeWith(conn, close_code::kTooBig, "message too big");
        conn.fragments += frame.payload;
        if (!frame.fin) return;
        complete = std::exchange(conn.fragmentOpcode, std::nullopt);
        frame.payload = std::exchange(conn.fragments, {});
        break;
    case Opcode::Text:
    case Opcode::Binary:
        if (conn.fragmentOpcode)
            return closeWith(conn, close_code::kProtocolError, "interleaved message");
        if (!frame.fin) {
            conn.fragmentOpcode = frame.opcode;
            conn.fragments = std::move(frame.payload);
            return;
        }
        complete = frame.opcode;
        break;
    }
    if (*complete == Opcode::Text && !json::isValidUtf8(frame.payload))
        return closeWith(conn, close_code::kInvalidPayload, "text is not UTF-8");
    handler_.onMessage(conn.id, *complete, std::move(frame.payload));
}

void Transport::housekeeping() {
    auto now = Clock::now();
    std::vector<ConnectionId> expired;
    for (auto& [id, conn] : connections_) {
        if (conn->closing) {
            if (now > conn->closeDeadline) expired.push_back(id);
            continue;
        }
        if (now - conn->lastHeard > options_.idleTimeout) {
            closeWith(*conn, close_code::kIdle, "idle");
        } else if (now - conn->lastHeard > options_.pingInterval &&
                   now - conn->lastPing > options_.pingInterval) {
            conn->lastPing = now;
            enqueue(*conn, controlFrame(Opcode::Ping, ""));
        }
    }
    for (auto id : expired)
        drop(id);
}

} // namespace maestro::host::ws
