#include "service/EventLogService.h"

#include "domain/Clock.h"
#include "store/EventRepository.h"

#include <algorithm>

namespace maestro::host::service {

namespace {

constexpr std::int64_t kPruneBatch = 10'000;
constexpr std::int64_t kDayMs = 24 * 3600 * 1000;

} // namespace

EventPage EventLogService::page(std::optional<std::int64_t> since, std::int64_t limit,
                                const std::optional<std::string>& projectId, Total total) {
    // One snapshot: retention pruning between reading firstSeq and the page would otherwise
    // let a page skip pruned events without saying so.
    return db_.snapshot([&](store::Connection& connection) {
        store::EventRepository log(connection);
        EventPage page;
        page.firstSeq = log.firstSeq();
        page.lastSeq = log.lastSeq();
        // Every event after `after` is still there when the oldest kept is at most after + 1.
        auto after = since.value_or(page.firstSeq - 1);
        page.expired = after + 1 < page.firstSeq;
        if (page.expired) return page;
        page.events = log.since(after, limit, projectId);
        if (total == Total::Count) page.total = log.countSince(after, projectId);
        return page;
    });
}

std::vector<domain::Event> EventLogService::since(std::int64_t after, std::int64_t limit,
                                                  const std::optional<std::string>& projectId) {
    return db_.read([&](store::Connection& connection) {
        return store::EventRepository(connection).since(after, limit, projectId);
    });
}

std::int64_t EventLogService::lastSeq() {
    return db_.read(
        [](store::Connection& connection) { return store::EventRepository(connection).lastSeq(); });
}

std::int64_t EventLogService::prune(const EventRetention& retention) {
    auto keepFrom = db_.read([&](store::Connection& connection) {
        store::EventRepository log(connection);
        std::int64_t keep = 0;
        if (retention.maxEvents > 0) keep = log.lastSeq() - retention.maxEvents + 1;
        if (retention.days > 0)
            keep = std::max(keep, log.firstSeqAtOrAfter(domain::nowMs() - retention.days * kDayMs));
        return keep;
    });
    return db_.writeInBatches(kPruneBatch, [&](store::Transaction& tx) {
        return store::EventRepository(tx.connection()).prune(keepFrom, kPruneBatch);
    });
}

} // namespace maestro::host::service
