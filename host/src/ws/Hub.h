#pragma once

#include "domain/Event.h"
#include "service/EventLogService.h"
#include "service/EventSink.h"
#include "ws/TerminalBridge.h"
#include "ws/Transport.h"

#include <Poco/Net/StreamSocket.h>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace maestro::host::ws {

// The transport's limits and timers, and how many events one replay page holds.
struct HubOptions : TransportOptions {
    std::int64_t replayPageSize = 500;
};

// The WebSocket hub: the transport (ws/Transport.h: epoll, per-connection queues, frames,
// pings, close) and the application protocol (ws/Protocol.h: subscribe and replay, terminals,
// messages) on one thread of their own. This class is their front: it carries calls from other
// threads onto that thread.
//
// Events arrive through publish() in seq order (the store calls it after COMMIT under its
// write lock) and are framed once for all connections.
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
    // A chunk of a session's terminal output starting at byte offset `offset`; with
    // `answersFrom`, the output a relayed attach from that offset asked for
    // (TerminalBridge::Scrollback::relayed), sent as scrollback to the clients waiting for it.
    void publishOutput(const std::string& sessionId, std::uint64_t offset, std::string data,
                       std::optional<std::uint64_t> answersFrom = std::nullopt);
    // A relayed attach to the session cannot be answered (its node cannot be reached, or has no
    // terminal for it): the clients waiting for it are told there is no terminal.
    void refuseAttach(const std::string& sessionId);
    // Takes over a socket that has completed the upgrade handshake, with any bytes the HTTP
    // layer had already read past the request.
    void adopt(Poco::Net::StreamSocket socket, std::string pendingBytes);
    // Once this returns, the previous bridge is no longer called (null: no terminals).
    void setTerminalBridge(TerminalBridge* bridge);

    std::size_t connectionCount() const noexcept;

private:
    struct Command;
    class Loop;

    void post(Command command);

    service::EventLogService& log_;
    std::unique_ptr<Loop> loop_;
    std::thread thread_;
};

} // namespace maestro::host::ws
