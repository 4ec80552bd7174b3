#pragma once

#include "domain/Event.h"
#include "service/EventLogService.h"
#include "ws/Outbox.h"
#include "ws/TerminalBridge.h"
#include "ws/Transport.h"

#include <Poco/JSON/Object.h>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace maestro::host::ws {

// The hub's application protocol (docs/api.md, "WebSocket"): the `connected` greeting,
// `subscribe` with its replay of the event log, live events, `ping`, and the terminal messages
// `session:attach|detach|input|resize` with their output. It keeps what each client asked for
// and reaches the connections only through the Outbox.
//
// Replay is paged: a page of the log is read only when the client has drained the previous
// one. Every client remembers the last seq it was sent, so the switch from replay to live
// neither skips nor repeats an event. A client whose seq the log no longer reaches (retention)
// is told `resync_required` and continues live. An event larger than a client's whole queue is
// sent as a stub the client resolves with a GET, and a replay waits for room rather than
// overflow, so no event, however big, locks a client out.
//
// Threads: setTerminalBridge from any thread; everything else on the transport's thread.
class Protocol final : public ConnectionHandler {
public:
    // `outbox` is only stored here, so it may still be under construction.
    Protocol(Outbox& outbox, service::EventLogService& log, std::int64_t replayPageSize);

    // The seq of the last event published before the hub started.
    void startAfter(std::int64_t lastSeq) { lastPublished_ = lastSeq; }
    // Once this returns, the previous bridge is no longer called (null: no terminals).
    void setTerminalBridge(TerminalBridge* bridge);

    // Events arrive in seq order (the store publishes after COMMIT under its write lock).
    void publish(const domain::Event& event);
    // `answersFrom`: see Hub::publishOutput.
    void publishOutput(const std::string& sessionId, std::uint64_t offset, const std::string& data,
                       std::optional<std::uint64_t> answersFrom = std::nullopt);

    // See Hub::refuseAttach.
    void refuseAttach(const std::string& sessionId);

    void onOpen(ConnectionId id) override;
    void onMessage(ConnectionId id, Opcode opcode, std::string payload) override;
    void onDrained(ConnectionId id) override;
    void onClosed(ConnectionId id) override;

private:
    struct Client {
        std::optional<std::string> project; // events of this project only (and global ones)
        std::int64_t lastSeq = 0;           // the last event sent, or skipped as not wanted
        bool replaying = false;
        std::map<std::string, std::uint64_t> attached; // session id → next output offset
        // Relayed attaches not yet answered: session id → the offset asked for (0: default).
        std::map<std::string, std::uint64_t> awaiting;
    };

    void sendText(ConnectionId id, std::string_view json);
    void replayPage(ConnectionId id, Client& client);
    void resync(ConnectionId id, Client& client, const service::EventPage& page);
    void pong(ConnectionId id);
    void subscribe(ConnectionId id, Client& client, const Poco::JSON::Object& message);
    void attach(ConnectionId id, Client& client, const Poco::JSON::Object& message);
    void input(ConnectionId id, const Poco::JSON::Object& message);
    void resize(ConnectionId id, const Poco::JSON::Object& message);
    // Tells the bridge when no client follows the session any more.
    void releaseIfUnfollowed(const std::string& sessionId);

    Outbox& outbox_;
    service::EventLogService& log_;
    std::int64_t replayPageSize_;
    std::unordered_map<ConnectionId, Client> clients_;
    std::int64_t lastPublished_ = 0;
    std::mutex bridgeMutex_; // held while calling into the bridge
    TerminalBridge* bridge_ = nullptr;
};

} // namespace maestro::host::ws
