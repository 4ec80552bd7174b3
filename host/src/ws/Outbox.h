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
    // Queues a frame if the connection's queue has room for it, else queues nothing and
    // returns false, so the protocol can send something smaller instead. (A connection that
    // is gone or closing takes it: true.)
    virtual bool offer(ConnectionId id, SharedFrame frame) = 0;
    // Queues a close frame behind what is partly sent and drops the rest of the queue.
    virtual void close(ConnectionId id, std::uint16_t code, std::string_view reason) = 0;
    // Asks for one onDrained(id) once everything queued for the connection has been written.
    virtual void notifyWhenDrained(ConnectionId id) = 0;
};

} // namespace maestro::host::ws
