#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace maestro::host::ws {

// A connection of the hub, by number; numbers are never reused.
using ConnectionId = std::uint64_t;
// An encoded frame, shared by every connection it is queued on (an event is framed once).
using SharedFrame = std::shared_ptr<const std::string>;

// All the application protocol may do to a connection (the transport implements it). Calls
// only queue: nothing is written and no connection goes away during the call, so the protocol
// may call these from any of its handlers. A connection that is gone or closing ignores them.
class Outbox {
public:
    virtual ~Outbox() = default;

    // Queues a frame. A connection whose queue overflows is closed (4008) instead.
    virtual void send(ConnectionId id, SharedFrame frame) = 0;
    // Queues a frame only if the connection's queue has room for it now, and says so:
    // Queued (also for a connection that is gone or closing), Full (it would fit once the
    // queue drains), or TooBig (larger than the queue could ever hold). Nothing is closed.
    enum class Offer { Queued, Full, TooBig };
    virtual Offer offer(ConnectionId id, SharedFrame frame) = 0;
    // Queues a close frame behind what is partly sent and drops the rest of the queue.
    virtual void close(ConnectionId id, std::uint16_t code, std::string_view reason) = 0;
    // Asks for one onDrained(id) once everything queued for the connection has been written.
    virtual void notifyWhenDrained(ConnectionId id) = 0;
};

} // namespace maestro::host::ws
