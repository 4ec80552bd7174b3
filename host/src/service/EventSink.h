#pragma once

#include "domain/Event.h"

namespace maestro::host::service {

// Where committed events go (the WebSocket hub). publish() is called after COMMIT, in seq
// order, with the database's write lock held: it must only enqueue, never block.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void publish(const domain::Event& event) = 0;
};

} // namespace maestro::host::service
