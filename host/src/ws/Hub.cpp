#include "ws/Hub.h"

#include "domain/Clock.h"
#include "json/Utf8.h"
#include "json/Writer.h"
#include "ws/Frame.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace maestro::host::ws {

namespace {

using Clock = std::chrono::steady_clock;
using SharedFrame = std::shared_ptr<const std::string>;
constexpr std::uint64_t kWakeupId = 0;
constexpr auto kCloseGrace = std::chrono::seconds(5);

Poco::Logger& logger() {
    return Poco::Logger::get("host.ws");
}

SharedFrame textFrame(std::string_view json) {
    return std::make_shared<const std::string>(encodeFrame(Opcode::Text, json));
}

// sessionId names the session an error is about, for clients with several terminals.
std::string errorMessage(std::string_view code, std::string_view message,
                         std::string_view sessionId = {}) {
    json::Writer out;
    out.beginObject().field("type", "error").field("code", code).field("message", message);
    if (!sessionId.empty()) out.field("sessionId", sessionId);
    out.endObject();
    return out.take();
}

} // namespace

struct Hub::Command {
    enum class Kind { Adopt, Event, Output, Stop } kind;
    Poco::Net::StreamSocket socket;
    std::string bytes;
    domain::Event event;
    std::string sessionId;
    std::uint64_t offset = 0;
};

struct Hub::Connection {
    std::uint64_t id = 0;
    Poco::Net::StreamSocket socket;
    int fd = -1;
    std::string in;
    std::string fragments;
    std::optional<Opcode> fragmentOpcode;
    std::deque<SharedFrame> out;
    std::size_t outOffset = 0; // bytes of out.front() already sent
    std::size_t outBytes = 0;
    bool pollingOut = false;
    std::optional<std::string> project;
    std::int64_t lastSeq = 0;
    bool replaying = false;
    bool closing = false;
    Clock::time_point lastHeard = Clock::now();
    Clock::time_point lastPing = Clock::now();
    Clock::time_point closeDeadline{};
    std::map<std::string, std::uint64_t> attached; // session id → next output offset
};

class Hub::Loop {
public:
    Loop(Hub& hub) : hub_(hub) {
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        wakeup_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (epoll_ < 0 || wakeup_ < 0) throw std::runtime_error("cannot create epoll/eventfd");
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = kWakeupId;
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wakeup_, &ev);
    }
    ~Loop() {
        ::close(epoll_);
        ::close(wakeup_);
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

    void run(std::int64_t lastSeq) {
        lastPublished_ = lastSeq;
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
                    processInbox();
                    continue;
                }
                auto it = connections_.find(events[i].data.u64);
                if (it == connections_.end()) continue;
                Connection& conn = *it->second;
                if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))
                    onReadable(conn);
                if (connections_.count(events[i].data.u64) && (events[i].events & EPOLLOUT))
                    dirty_.insert(conn.id);
            }
            flushDirty();
            if (Clock::now() - lastHousekeeping >= std::chrono::seconds(1)) {
                housekeeping();
                flushDirty();
                lastHousekeeping = Clock::now();
            }
        }
        for (auto& [id, conn] : connections_) {
            auto bye = encodeClose(close_code::kGoingAway, "server shutting down");
            [[maybe_unused]] auto n =
                ::send(conn->fd, bye.data(), bye.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            conn->socket.close();
        }
        connections_.clear();
        hub_.connectionCount_ = 0;
    }

private:
    void processInbox() {
        std::vector<Command> commands;
        {
            std::lock_guard lock(inboxMutex_);
            commands.swap(inbox_);
        }
        for (auto& command : commands) {
            switch (command.kind) {
            case Command::Kind::Adopt:
                adopt(std::move(command.socket), std::move(command.bytes));
                break;
            case Command::Kind::Event:
                broadcast(command.event);
                break;
            case Command::Kind::Output:
                output(command.sessionId, command.offset, command.bytes);
                break;
            case Command::Kind::Stop:
                stopping_ = true;
                break;
            }
        }
    }

    void adopt(Poco::Net::StreamSocket socket, std::string pending) {
        auto conn = std::make_unique<Connection>();
        conn->id = nextId_++;
        conn->socket = std::move(socket);
        conn->socket.setBlocking(false);
        conn->socket.setNoDelay(true);
        conn->fd = conn->socket.impl()->sockfd();
        conn->lastSeq = lastPublished_;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.u64 = conn->id;
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, conn->fd, &ev) != 0) {
            logger().error("cannot watch WebSocket: %s", std::string{std::strerror(errno)});
            return;
        }
        Connection& c = *conn;
        connections_.emplace(c.id, std::move(conn));
        ++hub_.connectionCount_;

        json::Writer hello;
        hello.beginObject()
            .field("type", "connected")
            .field("lastSeq", lastPublished_)
            .field("timestamp", domain::nowMs())
            .endObject();
        enqueue(c, textFrame(hello.str()));
        if (!pending.empty()) {
            c.in = std::move(pending);
            parseFrames(c);
        }
    }

    bool wants(const Connection& conn, const domain::Event& event) const {
        if (conn.closing || conn.replaying || event.seq <= conn.lastSeq) return false;
        return !conn.project || event.projectId.empty() || event.projectId == *conn.project;
    }

    void broadcast(const domain::Event& event) {
        lastPublished_ = std::max(lastPublished_, event.seq);
        SharedFrame frame;
        for (auto& [id, conn] : connections_) {
            if (!wants(*conn, event)) {
                if (!conn->replaying) conn->lastSeq = std::max(conn->lastSeq, event.seq);
                continue;
            }
            if (!frame) frame = textFrame(domain::toWireJson(event));
            conn->lastSeq = event.seq;
            enqueue(*conn, frame);
        }
    }

    void output(const std::string& sessionId, std::uint64_t offset, const std::string& data) {
        SharedFrame whole;
        for (auto& [id, conn] : connections_) {
            auto it = conn->attached.find(sessionId);
            if (it == conn->attached.end() || conn->closing) continue;
            std::uint64_t end = offset + data.size();
            if (end <= it->second) continue; // already sent as scrollback
            if (offset >= it->second) {
                if (!whole) whole = textFrame(outputMessage(sessionId, data, offset));
                enqueue(*conn, whole);
            } else {
                auto skip = static_cast<std::size_t>(it->second - offset);
                enqueue(*conn, textFrame(outputMessage(sessionId, data.substr(skip), it->second)));
            }
            it->second = end;
        }
    }

    static std::string outputMessage(const std::string& sessionId, std::string_view data,
                                     std::uint64_t offset, bool scrollback = false) {
        json::Writer out(data.size() + 96);
        out.beginObject()
            .field("type", "session:output")
            .field("sessionId", sessionId)
            .field("offset", static_cast<std::int64_t>(offset))
            .field("data", json::sanitizeUtf8(data));
        if (scrollback) out.field("scrollback", true);
        out.endObject();
        return out.take();
    }

    void enqueue(Connection& conn, SharedFrame frame) {
        if (conn.closing) return;
        if (conn.out.size() >= hub_.options_.maxQueuedMessages ||
            conn.outBytes + frame->size() > hub_.options_.maxQueuedBytes) {
            logger().warning("closing slow WebSocket client %s (%z messages queued)",
                             std::to_string(conn.id), conn.out.size());
            closeWith(conn, close_code::kSlowConsumer,
                      "send queue overflow; resubscribe with since");
            return;
        }
        conn.outBytes += frame->size();
        conn.out.push_back(std::move(frame));
        dirty_.insert(conn.id);
    }

    void sendText(Connection& conn, const std::string& json) { enqueue(conn, textFrame(json)); }

    // Queues a close frame behind whatever is partly sent, and forgets the rest.
    void closeWith(Connection& conn, std::uint16_t code, std::string_view reason) {
        if (conn.closing) return;
        while (conn.out.size() > (conn.outOffset ? 1u : 0u)) {
            conn.outBytes -= conn.out.back()->size();
            conn.out.pop_back();
        }
        auto frame = std::make_shared<const std::string>(encodeClose(code, reason));
        conn.outBytes += frame->size();
        conn.out.push_back(std::move(frame));
        conn.closing = true;
        conn.replaying = false;
        conn.closeDeadline = Clock::now() + kCloseGrace;
        dirty_.insert(conn.id);
    }

    void drop(std::uint64_t id) {
        auto it = connections_.find(id);
        if (it == connections_.end()) return;
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, it->second->fd, nullptr);
        it->second->socket.close();
        connections_.erase(it);
        --hub_.connectionCount_;
        dirty_.erase(id);
    }

    void watchWritable(Connection& conn, bool on) {
        if (conn.pollingOut == on) return;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
        ev.data.u64 = conn.id;
        ::epoll_ctl(epoll_, EPOLL_CTL_MOD, conn.fd, &ev);
        conn.pollingOut = on;
    }

    void flushDirty() {
        while (!dirty_.empty()) {
            auto ids = std::move(dirty_);
            dirty_.clear();
            for (auto id : ids) {
                auto it = connections_.find(id);
                if (it != connections_.end()) flush(*it->second);
            }
        }
    }

    // Writes as much of the queue as the socket takes; when a replaying connection has sent
    // everything, reads the next page of the log.
    void flush(Connection& conn) {
        for (;;) {
            while (!conn.out.empty()) {
                iovec iov[64];
                std::size_t count = 0;
                for (auto it = conn.out.begin(); it != conn.out.end() && count < 64;
                     ++it, ++count) {
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
            if (!conn.replaying || !replayPage(conn)) return;
        }
    }

    // Queues the next page of missed events; returns false when the connection is caught up.
    bool replayPage(Connection& conn) {
        std::vector<domain::Event> page;
        try {
            page = hub_.log_.since(conn.lastSeq, hub_.options_.replayPageSize, conn.project);
        } catch (const std::exception& e) {
            logger().error("replay failed: %s", std::string{e.what()});
            sendText(conn, errorMessage("replay_failed", e.what()));
            conn.replaying = false;
            return true;
        }
        for (const auto& event : page) {
            conn.lastSeq = event.seq;
            enqueue(conn, textFrame(domain::toWireJson(event)));
        }
        if (static_cast<std::int64_t>(page.size()) < hub_.options_.replayPageSize) {
            // Caught up. Every event published so far was committed before this read, so it
            // is in this page or an earlier one; later ones arrive live, after lastSeq.
            conn.replaying = false;
        }
        return !page.empty() || !conn.out.empty();
    }

    void onReadable(Connection& conn) {
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

    void parseFrames(Connection& conn) {
        std::size_t used = 0;
        while (!conn.closing) {
            auto result = decodeClientFrame(std::string_view{conn.in}.substr(used),
                                            hub_.options_.maxMessageBytes);
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

    void onFrame(Connection& conn, Frame frame) {
        switch (frame.opcode) {
        case Opcode::Ping:
            enqueue(conn,
                    std::make_shared<const std::string>(encodeFrame(Opcode::Pong, frame.payload)));
            return;
        case Opcode::Pong:
            return;
        case Opcode::Close: {
            std::uint16_t code = close_code::kNormal;
            if (frame.payload.size() >= 2)
                code =
                    static_cast<std::uint16_t>((static_cast<unsigned char>(frame.payload[0]) << 8) |
                                               static_cast<unsigned char>(frame.payload[1]));
            closeWith(conn, code, "");
            return;
        }
        case Opcode::Continuation:
            if (!conn.fragmentOpcode)
                return closeWith(conn, close_code::kProtocolError, "unexpected continuation");
            if (conn.fragments.size() + frame.payload.size() > hub_.options_.maxMessageBytes)
                return closeWith(conn, close_code::kTooBig, "message too big");
            conn.fragments += frame.payload;
            if (frame.fin) {
                auto opcode = *conn.fragmentOpcode;
                conn.fragmentOpcode.reset();
                onMessage(conn, opcode, std::exchange(conn.fragments, {}));
            }
            return;
        case Opcode::Text:
        case Opcode::Binary:
            if (conn.fragmentOpcode)
                return closeWith(conn, close_code::kProtocolError, "interleaved message");
            if (!frame.fin) {
                conn.fragmentOpcode = frame.opcode;
                conn.fragments = std::move(frame.payload);
                return;
            }
            onMessage(conn, frame.opcode, std::move(frame.payload));
            return;
        }
    }

    void onMessage(Connection& conn, Opcode opcode, std::string payload) {
        if (opcode != Opcode::Text)
            return sendText(conn, errorMessage("unsupported", "messages are JSON text"));
        if (!json::isValidUtf8(payload))
            return closeWith(conn, close_code::kInvalidPayload, "text is not UTF-8");
        Poco::JSON::Object::Ptr message;
        try {
            Poco::JSON::Parser parser;
            parser.setDepth(16);
            auto parsed = parser.parse(payload);
            if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
                message = parsed.extract<Poco::JSON::Object::Ptr>();
        } catch (const Poco::Exception&) {
        }
        if (!message || !message->has("type") || !message->get("type").isString())
            return sendText(conn,
                            errorMessage("invalid_message", "expected a JSON object with a type"));
        auto type = message->getValue<std::string>("type");
        try {
            if (type == "ping") return pong(conn);
            if (type == "subscribe") return subscribe(conn, *message);
            if (type == "session:attach") return attach(conn, *message);
            if (type == "session:detach") return detach(conn, *message);
            if (type == "session:input") return input(conn, *message);
            if (type == "session:resize") return resize(conn, *message);
        } catch (const Poco::Exception& e) {
            return sendText(conn, errorMessage("invalid_message", e.displayText()));
        }
        sendText(conn, errorMessage("unknown_message", "unknown message type '" + type + "'"));
    }

    void pong(Connection& conn) {
        json::Writer out;
        out.beginObject().field("type", "pong").field("timestamp", domain::nowMs()).endObject();
        sendText(conn, out.str());
    }

    void subscribe(Connection& conn, const Poco::JSON::Object& message) {
        std::optional<std::int64_t> since;
        if (message.has("since") && !message.get("since").isEmpty()) {
            auto value = message.get("since");
            if (!value.isInteger() || value.convert<std::int64_t>() < 0)
                return sendText(
                    conn, errorMessage("invalid_message", "since must be a non-negative integer"));
            since = value.convert<std::int64_t>();
        }
        conn.project.reset();
        if (message.has("projectId") && message.get("projectId").isString())
            conn.project = message.getValue<std::string>("projectId");

        json::Writer reply;
        reply.beginObject()
            .field("type", "subscribed")
            .field("since", since)
            .field("projectId", conn.project)
            .field("lastSeq", lastPublished_)
            .endObject();
        sendText(conn, reply.str());
        if (since) {
            conn.lastSeq = *since;
            conn.replaying = true; // flush() pages through the log once the reply is out
        } else {
            conn.lastSeq = lastPublished_;
            conn.replaying = false;
        }
        dirty_.insert(conn.id);
    }

    static std::string sessionIdOf(const Poco::JSON::Object& message) {
        if (!message.has("sessionId") || !message.get("sessionId").isString())
            throw Poco::InvalidArgumentException("sessionId is required");
        return message.getValue<std::string>("sessionId");
    }

    void attach(Connection& conn, const Poco::JSON::Object& message) {
        auto sessionId = sessionIdOf(message);
        std::optional<TerminalBridge::Scrollback> scrollback;
        {
            std::lock_guard lock(hub_.bridgeMutex_);
            if (hub_.bridge_) scrollback = hub_.bridge_->scrollback(sessionId);
        }
        if (!scrollback)
            return sendText(conn, errorMessage("session_not_found",
                                               "no terminal for session " + sessionId, sessionId));
        conn.attached[sessionId] = scrollback->end;
        std::uint64_t start = scrollback->end - scrollback->data.size();
        sendText(conn, outputMessage(sessionId, scrollback->data, start, true));
    }

    void detach(Connection& conn, const Poco::JSON::Object& message) {
        conn.attached.erase(sessionIdOf(message));
    }

    void input(Connection& conn, const Poco::JSON::Object& message) {
        auto sessionId = sessionIdOf(message);
        auto data = message.optValue<std::string>("data", "");
        std::lock_guard lock(hub_.bridgeMutex_);
        if (!hub_.bridge_ || !hub_.bridge_->input(sessionId, data))
            sendText(conn, errorMessage("session_not_found", "no terminal for session " + sessionId,
                                        sessionId));
    }

    void resize(Connection& conn, const Poco::JSON::Object& message) {
        auto sessionId = sessionIdOf(message);
        int cols = message.optValue<int>("cols", 0), rows = message.optValue<int>("rows", 0);
        if (cols <= 0 || rows <= 0 || cols > 1000 || rows > 1000)
            return sendText(conn, errorMessage("invalid_message", "cols and rows must be 1-1000"));
        std::lock_guard lock(hub_.bridgeMutex_);
        if (!hub_.bridge_ || !hub_.bridge_->resize(sessionId, cols, rows))
            sendText(conn, errorMessage("session_not_found", "no terminal for session " + sessionId,
                                        sessionId));
    }

    void housekeeping() {
        auto now = Clock::now();
        std::vector<std::uint64_t> expired;
        for (auto& [id, conn] : connections_) {
            if (conn->closing) {
                if (now > conn->closeDeadline) expired.push_back(id);
                continue;
            }
            if (now - conn->lastHeard > hub_.options_.idleTimeout) {
                closeWith(*conn, close_code::kIdle, "idle");
            } else if (now - conn->lastHeard > hub_.options_.pingInterval &&
                       now - conn->lastPing > hub_.options_.pingInterval) {
                conn->lastPing = now;
                enqueue(*conn, std::make_shared<const std::string>(encodeFrame(Opcode::Ping, "")));
            }
        }
        for (auto id : expired)
            drop(id);
    }

    Hub& hub_;
    int epoll_ = -1;
    int wakeup_ = -1;
    std::mutex inboxMutex_;
    std::vector<Command> inbox_;
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
    std::unordered_set<std::uint64_t> dirty_;
    std::uint64_t nextId_ = 1;
    std::int64_t lastPublished_ = 0;
    bool stopping_ = false;
};

Hub::Hub(service::EventLogService& log, HubOptions options)
    : log_(log), options_(options), loop_(std::make_unique<Loop>(*this)) {}

Hub::~Hub() {
    stop();
}

void Hub::start() {
    if (thread_.joinable()) return;
    auto lastSeq = log_.lastSeq();
    thread_ = std::thread([this, lastSeq] { loop_->run(lastSeq); });
}

void Hub::stop() {
    if (!thread_.joinable()) return;
    post({.kind = Command::Kind::Stop});
    thread_.join();
}

void Hub::post(Command command) {
    loop_->post(std::move(command));
}

void Hub::publish(const domain::Event& event) {
    post({.kind = Command::Kind::Event, .event = event});
}

void Hub::publishOutput(const std::string& sessionId, std::uint64_t offset, std::string data) {
    post({.kind = Command::Kind::Output,
          .bytes = std::move(data),
          .sessionId = sessionId,
          .offset = offset});
}

void Hub::adopt(Poco::Net::StreamSocket socket, std::string pendingBytes) {
    post({.kind = Command::Kind::Adopt,
          .socket = std::move(socket),
          .bytes = std::move(pendingBytes)});
}

void Hub::setTerminalBridge(TerminalBridge* bridge) {
    std::lock_guard lock(bridgeMutex_);
    bridge_ = bridge;
}

} // namespace maestro::host::ws
