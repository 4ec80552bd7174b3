#pragma once

#include "ws/Frame.h"
#include "ws/Outbox.h"

#include <Poco/Net/StreamSocket.h>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace maestro::host::ws {

struct TransportOptions {
    // A connection whose unsent queue grows past either bound is closed with 4008.
    std::size_t maxQueuedMessages = 8192;
    std::size_t maxQueuedBytes = 32u << 20;
    std::size_t maxMessageBytes = 1u << 20; // largest message a client may send
    std::chrono::milliseconds pingInterval{30'000};
    std::chrono::milliseconds idleTimeout{90'000};
};

// What the transport reports to the application protocol, on the transport's thread.
class ConnectionHandler {
public:
    virtual ~ConnectionHandler() = default;
    virtual void onOpen(ConnectionId id) = 0;
    // One whole message (fragments joined). Text is valid UTF-8: the transport closes a
    // connection that sends anything else as text (1007).
    virtual void onMessage(ConnectionId id, Opcode opcode, std::string payload) = 0;
    // Everything queued for the connection has been written (after notifyWhenDrained).
    virtual void onDrained(ConnectionId id) = 0;
    // The connection is gone; its id will not be used again.
    virtual void onClosed(ConnectionId id) = 0;
};

// The WebSocket transport: every connection on one epoll thread with non-blocking sockets and
// a bounded send queue, so a slow client only ever fills its own queue. It reads and decodes
// frames, answers pings, sends pings to quiet clients, closes idle ones, and runs the closing
// handshake; complete messages go to the ConnectionHandler, and the protocol answers through
// the Outbox this class implements.
//
// Threads: wake() may be called from any thread; everything else from the thread inside run().
class Transport final : public Outbox {
public:
    // `onWake` runs on the transport's thread after wake() (several wake-ups may merge).
    Transport(TransportOptions options, ConnectionHandler& handler, std::function<void()> onWake);
    ~Transport() override;
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // Serves connections until stop(), then closes each with 1001 (going away).
    void run();
    void stop();
    void wake();

    // Takes over a socket that has completed the upgrade handshake, with any bytes already
    // read past the request.
    void adopt(Poco::Net::StreamSocket socket, std::string pendingBytes);
    std::size_t connectionCount() const noexcept { return connectionCount_.load(); }

    void send(ConnectionId id, SharedFrame frame) override;
    Offer offer(ConnectionId id, SharedFrame frame) override;
    void close(ConnectionId id, std::uint16_t code, std::string_view reason) override;
    void notifyWhenDrained(ConnectionId id) override;

private:
    struct Connection;

    Connection* find(ConnectionId id);
    bool hasRoom(const Connection& conn, const std::string& frame) const;
    void enqueue(Connection& conn, SharedFrame frame);
    void closeWith(Connection& conn, std::uint16_t code, std::string_view reason);
    void drop(ConnectionId id);
    void watchWritable(Connection& conn, bool on);
    void flushDirty();
    void flush(Connection& conn);
    void onReadable(Connection& conn);
    void parseFrames(Connection& conn);
    void onFrame(Connection& conn, Frame frame);
    void housekeeping();

    TransportOptions options_;
    ConnectionHandler& handler_;
    std::function<void()> onWake_;
    int epoll_ = -1;
    int wakeup_ = -1;
    std::unordered_map<ConnectionId, std::unique_ptr<Connection>> connections_;
    std::unordered_set<ConnectionId> dirty_; // connections with something to write
    ConnectionId nextId_ = 1;
    std::atomic<std::size_t> connectionCount_{0};
    bool stopping_ = false;
};

} // namespace maestro::host::ws
