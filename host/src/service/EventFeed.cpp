#include "service/EventFeed.h"

#include "store/EventRepository.h"

#include <Poco/Logger.h>
#include <limits>

namespace maestro::host::service {

namespace {

constexpr std::int64_t kPage = 500;
// How long the listener waits for a notification before reading the log anyway.
constexpr auto kPollInterval = std::chrono::seconds(1);

} // namespace

EventFeed::EventFeed(store::Database& db, EventSink& out) : db_(db), out_(out) {}

EventFeed::~EventFeed() {
    stop();
}

void EventFeed::start() {
    {
        std::lock_guard lock(mutex_);
        last_ = db_.read([](store::Connection& c) { return store::EventRepository(c).lastSeq(); });
    }
    listener_ = db_.listenForEvents();
    if (listener_) thread_ = std::thread([this] { listen(); });
}

void EventFeed::stop() {
    stopping_ = true;
    if (listener_) listener_->interrupt();
    if (thread_.joinable()) thread_.join();
}

void EventFeed::publish(const domain::Event& event) {
    std::lock_guard lock(mutex_);
    if (event.seq <= last_) return; // already read from the log
    if (event.seq > last_ + 1) catchUp(event.seq - 1);
    out_.publish(event);
    last_ = event.seq;
}

void EventFeed::catchUp(std::int64_t through) {
    for (;;) {
        auto events = db_.read(
            [&](store::Connection& c) { return store::EventRepository(c).since(last_, kPage); });
        for (const auto& event : events) {
            if (event.seq > through) return;
            out_.publish(event);
            last_ = event.seq;
        }
        if (static_cast<std::int64_t>(events.size()) < kPage) return;
    }
}

void EventFeed::listen() {
    bool failing = false;
    while (!stopping_) {
        listener_->wait(kPollInterval);
        if (stopping_) break;
        try {
            auto head =
                db_.read([](store::Connection& c) { return store::EventRepository(c).lastSeq(); });
            std::lock_guard lock(mutex_);
            if (head > last_) catchUp(std::numeric_limits<std::int64_t>::max());
            failing = false;
        } catch (const std::exception& e) {
            if (!failing)
                Poco::Logger::get("host.store")
                    .warning("cannot read other servers' events: %s", std::string{e.what()});
            failing = true;
        }
    }
}

} // namespace maestro::host::service
