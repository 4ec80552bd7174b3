#pragma once

#include "domain/Event.h"
#include "service/EventLogService.h"
#include "service/EventSink.h"

#include <Poco/Net/StreamSocket.h>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace maestro::host::ws {

struct HubOptions {
    // A connection whose unsent queue grows past either bound is closed with 4008.
    std::size_t maxQueuedMessages = 8192;
    std::size_t maxQueuedBytes = 32u << 20;
    std::size_t maxMessageBytes = 1u << 20; // largest message a client may send
    std::int64_t replayPageSize = 500;
    std::chrono::milliseconds pingInterval{30'000};
    std::chrono::milliseconds idleTimeout{90'000};
};

// Terminal streams, provided by the session spawner. Offsets count every byte a session ever
// wrote, so scrollback and live chunks can be stitched without loss or overlap.
class TerminalBridge {
public:
    struct Scrollback {
        std::string data;
        std::uint64_t end = 0; // offset just past data
    };
    virtual ~TerminalBridge() = default;
    // nullopt when the session has no terminal on this server.
    virtual std::optional<Scrollback> scrollback(const std::string& sessionId) = 0;
    virtual bool input(const std::string& sessionId, std::string_view data) = 0;
    virtual bool resize(const std::string& sessionId, int cols, int rows) = 0;
};

// The WebSocket hub: every connection lives on one epoll thread with non-blocking sockets
// and a bounded send queue, so a slow client only ever fills its own queue.
//
// Events arrive through publish() in seq order (the store calls it after COMMIT under its
// write lock) and are framed once for all connections. A client's `subscribe` with `since`
// replays the log page by page — the next page is read only when the client has drained the
// previous one — and then continues live; each connection remembers the last seq it was sent,
// so the switch from replay to live neither skips nor repeats an event.
class Hub : public service::EventSink {
public:
    explicit Hub(service::EventLogService& log, HubOptions options = {});
    ~Hub() override;
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    void start();
    // Closes every connection with 1001 (going away) and joins the thread.
    void stop();

    void publish(const domain::Event& event) override;
    // A chunk of a session's terminal output starting at byte offset `offset`.
    void publishOutput(const std::string& sessionId, std::uint64_t offset, std::string data);
    // Takes over a socket that has completed the upgrade handshake, with any bytes the HTTP
    // layer had already read past the request.
    void adopt(Poco::Net::StreamSocket socket, std::string pendingBytes);
    // Once this returns, the previous bridge is no longer called (null: no terminals).
    void setTerminalBridge(TerminalBridge* bridge);

    std::size_t connectionCount() const noexcept { return connectionCount_.load(); }

private:
    struct Connection;
    struct Command;
    class Loop;

    void post(Command command);

    service::EventLogService& log_;
    HubOptions options_;
    std::unique_ptr<Loop> loop_;
    std::thread thread_;
    std::atomic<std::size_t> connectionCount_{0};
    std::mutex bridgeMutex_; // held while the loop calls into the bridge
    TerminalBridge* bridge_ = nullptr;
};

} // namespace maestro::host::ws
