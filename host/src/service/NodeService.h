#pragma once

#include "store/Database.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace maestro::host::service {

// This server as a node of the cluster that shares its database, and the view of every node:
// it registers at start, heartbeats (the owner calls heartbeat() every heartbeatInterval),
// and says when it stops. A node whose heartbeat is older than downAfter is `down`.
class NodeService {
public:
    struct Self {
        std::string id;  // --node-id; default host name:port
        std::string url; // --advertise-url; default the URL it listens on
    };
    // Counts the live sessions this node holds, for the heartbeat.
    using SessionCounter = std::function<std::int64_t()>;

    NodeService(store::Database& db, Self self, std::chrono::milliseconds downAfter);

    // Registers this node (on SQLite, as the only one).
    void start();
    // Records a heartbeat, registering again if the row went missing.
    void heartbeat();
    // Marks this node stopped: a clean shutdown, not a failure.
    void stop();
    void countSessionsWith(SessionCounter counter);

    // GET /api/nodes: [{id, url, status: up|down|stopped, self, startedAt, lastHeartbeat,
    // sessions}], by id.
    std::string listJson();
    const Self& self() const noexcept { return self_; }

private:
    std::int64_t sessions();

    store::Database& db_;
    Self self_;
    std::chrono::milliseconds downAfter_;
    std::int64_t startedAt_ = 0;
    std::mutex counterMutex_;
    SessionCounter counter_;
};

} // namespace maestro::host::service
