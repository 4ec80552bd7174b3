#pragma once

#include "service/EventSink.h"
#include "store/Database.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace maestro::host::service {

// Hands the event log to this server's listeners (the event bus) in seq order, each event
// once: the events this server commits, and — when other servers share the database — theirs.
//
// The log itself is the source: seq is gap-free and becomes visible in order (see
// docs/architecture.md, Events), so "every event after the last one published" is always a
// complete, ordered list to read. A local commit is passed on at once when it is the next
// seq; when it is not, the events in between were committed elsewhere (and before it), and are
// read from the log first. With a shared database a thread waits for the other servers'
// commit notifications (store::CommitListener) and reads what follows; it also reads the log
// once a second on its own, so a lost notification only delays an event, never loses it.
class EventFeed : public EventSink {
public:
    EventFeed(store::Database& db, EventSink& out);
    ~EventFeed() override;
    EventFeed(const EventFeed&) = delete;
    EventFeed& operator=(const EventFeed&) = delete;

    // Starts after the log's current end (and, with a shared database, the listener).
    void start();
    void stop();
    // A local commit (called after COMMIT, in seq order, under the write lock).
    void publish(const domain::Event& event) override;

private:
    // Publishes what follows the last published event, up to `through`.
    void catchUp(std::int64_t through);
    void listen();

    store::Database& db_;
    EventSink& out_;
    std::mutex mutex_; // guards last_ and the order of out_.publish
    std::int64_t last_ = 0;
    std::unique_ptr<store::CommitListener> listener_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace maestro::host::service
