#pragma once

#include "service/EventSink.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace maestro::host::service {

// Fans committed events out to every interested part (the WebSocket hub, the spawner, …)
// without the services knowing who listens.
class EventBus : public EventSink {
public:
    void subscribe(EventSink& sink) {
        std::lock_guard lock(mutex_);
        sinks_.push_back(&sink);
    }
    void unsubscribe(EventSink& sink) {
        std::lock_guard lock(mutex_);
        std::erase(sinks_, &sink);
    }
    void publish(const domain::Event& event) override {
        std::lock_guard lock(mutex_);
        for (auto* sink : sinks_)
            sink->publish(event);
    }

private:
    std::mutex mutex_;
    std::vector<EventSink*> sinks_;
};

} // namespace maestro::host::service
