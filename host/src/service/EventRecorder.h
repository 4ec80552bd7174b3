#pragma once

#include "service/EventSink.h"
#include "store/Database.h"

#include <string>
#include <string_view>

namespace maestro::host::service {

// Appends an event to the log inside the caller's transaction and publishes it once that
// transaction commits — nothing is announced that was not stored, and nothing stored goes
// unannounced.
class EventRecorder {
public:
    explicit EventRecorder(EventSink& sink) : sink_(sink) {}

    void record(store::Transaction& tx, std::string_view type, std::string projectId,
                std::string dataJson);

private:
    EventSink& sink_;
};

} // namespace maestro::host::service
