// The event log's retention and reads, and idempotency keys expiring: on a real SQLite file
// and a real PostgreSQL database.
#include "TestDatabase.h"
#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "service/EventLogService.h"
#include "service/IdempotencyService.h"
#include "store/Database.h"
#include "store/EventRepository.h"
#include "store/IdempotencyRepository.h"

#include <gtest/gtest.h>

using namespace maestro::host;
using namespace maestro::host::store;
using maestro::test::TestBackend;
using maestro::test::TestDatabase;

namespace {

// Appends `count` events, alternating between project p, project q and global ones.
void append(Database& db, int count, std::int64_t timestamp) {
    db.write([&](Transaction& tx) {
        EventRepository log(tx.connection());
        for (int i = 0; i < count; ++i)
            log.append("e", i % 3 == 0 ? "p" : i % 3 == 1 ? "q" : "", "{}", timestamp);
    });
}

std::vector<std::int64_t> seqs(const std::vector<maestro::domain::Event>& events) {
    std::vector<std::int64_t> out;
    for (const auto& event : events)
        out.push_back(event.seq);
    return out;
}

class EventLogTest : public ::testing::TestWithParam<TestBackend> {
protected:
    TestDatabase database_{GetParam()};
};

} // namespace

INSTANTIATE_TEST_SUITE_P(Backends, EventLogTest, maestro::test::everyBackend(),
                         maestro::test::BackendName());

TEST_P(EventLogTest, AProjectSeesItsOwnAndTheGlobalEventsInSeqOrder) {
    auto db = Database::open(database_.url());
    append(*db, 12, 1);
    db->read([](Connection& c) {
        EventRepository log(c);
        // p: 1, 4, 7, 10; global: 3, 6, 9, 12
        EXPECT_EQ(seqs(log.since(0, 100, "p")),
                  (std::vector<std::int64_t>{1, 3, 4, 6, 7, 9, 10, 12}));
        EXPECT_EQ(seqs(log.since(4, 3, "p")), (std::vector<std::int64_t>{6, 7, 9}));
        EXPECT_EQ(seqs(log.recent(3, "p")), (std::vector<std::int64_t>{9, 10, 12}));
        EXPECT_EQ(log.countSince(4, "p"), 5);
        EXPECT_EQ(log.countSince(4), 8);
    });
}

TEST_P(EventLogTest, RetentionPrunesTheOldestAndSaysWhenSinceIsTooOld) {
    auto db = Database::open(database_.url());
    service::EventLogService service(*db);
    auto now = maestro::domain::nowMs();
    const std::int64_t day = 24 * 3600 * 1000;
    append(*db, 30, now - 10 * day); // old
    append(*db, 30, now);            // recent

    EXPECT_EQ(service.prune({.days = 0, .maxEvents = 0}), 0) << "0 lifts both bounds";
    EXPECT_EQ(service.prune({.days = 5, .maxEvents = 0}), 30);
    EXPECT_EQ(service.prune({.days = 5, .maxEvents = 25}), 5);
    db->read([](Connection& c) {
        EventRepository log(c);
        EXPECT_EQ(log.firstSeq(), 36);
        EXPECT_EQ(log.lastSeq(), 60);
        EXPECT_EQ(log.countSince(0), 25);
        EXPECT_EQ(log.countSince(40), 20);
    });

    // A client that has seen up to 35 misses nothing; one at 34 has lost event 35.
    auto caughtUp = service.page(35, 10, std::nullopt, service::EventLogService::Total::Count);
    EXPECT_FALSE(caughtUp.expired);
    EXPECT_EQ(caughtUp.events.front().seq, 36);
    EXPECT_EQ(caughtUp.total, 25);
    auto behind = service.page(34, 10, "p");
    EXPECT_TRUE(behind.expired);
    EXPECT_TRUE(behind.events.empty());
    EXPECT_EQ(behind.firstSeq, 36);
    EXPECT_EQ(behind.lastSeq, 60);
    auto fromOldest = service.page(std::nullopt, 10);
    EXPECT_FALSE(fromOldest.expired);
    EXPECT_EQ(fromOldest.events.front().seq, 36);

    // Pruned to nothing, the log still knows where it stands; seq goes on from there.
    EXPECT_EQ(service.prune({.days = 0, .maxEvents = 1}), 24);
    append(*db, 1, now);
    db->read([](Connection& c) {
        EventRepository log(c);
        EXPECT_EQ(log.firstSeq(), 60);
        EXPECT_EQ(log.lastSeq(), 61);
    });
}

TEST_P(EventLogTest, IdempotencyKeyOlderThanItsRetentionIsANewKey) {
    auto db = Database::open(database_.url());
    service::IdempotencyService keys(*db);
    auto retention = std::chrono::duration_cast<std::chrono::milliseconds>(
                         service::IdempotencyService::kRetention)
                         .count();
    auto now = maestro::domain::nowMs();
    db->write([&](Transaction& tx) {
        IdempotencyRepository repository(tx.connection());
        repository.save("old", {"POST", "/api/x", "h", 201, "first", now - retention - 1000});
        repository.save("young", {"POST", "/api/x", "h", 201, "first", now - retention + 60'000});
    });
    int runs = 0;
    auto work = [&] {
        ++runs;
        return service::Reply{201, "again"};
    };
    // The stored hash is of another body: only an expired key may run again.
    auto expired = keys.run("old", "POST", "/api/x", "{}", work);
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(expired.body, "again");
    EXPECT_FALSE(expired.replayed);
    EXPECT_THROW(keys.run("young", "POST", "/api/x", "{}", work), maestro::domain::ApiError)
        << "a key within its retention still refuses another body";

    db->write([&](Transaction& tx) {
        IdempotencyRepository(tx.connection())
            .save("stale", {"POST", "/api/x", "h", 201, "b", now - retention - 1});
    });
    EXPECT_EQ(keys.purgeExpired(), 1u);
    db->read([](Connection& c) {
        IdempotencyRepository repository(c);
        EXPECT_FALSE(repository.find("stale"));
        EXPECT_TRUE(repository.find("young"));
        EXPECT_TRUE(repository.find("old")) << "saved again by the request that reused it";
    });
}
