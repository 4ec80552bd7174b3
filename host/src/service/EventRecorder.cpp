#include "service/EventRecorder.h"

#include "domain/Clock.h"
#include "store/EventRepository.h"

namespace maestro::host::service {

void EventRecorder::record(store::Transaction& tx, std::string_view type, std::string projectId,
                           std::string dataJson) {
    auto event =
        store::EventRepository(tx.connection())
            .append(std::string{type}, std::move(projectId), std::move(dataJson), domain::nowMs());
    tx.onCommit([this, event = std::move(event)] { sink_.publish(event); });
}

} // namespace maestro::host::service
