#include "service/JsonCache.h"

#include "TestDatabase.h"

#include <gtest/gtest.h>
#include <stdexcept>

using maestro::host::service::JsonCache;
using maestro::host::store::Database;
using maestro::host::store::Transaction;
using maestro::test::TestBackend;
using maestro::test::TestDatabase;

class JsonCacheTest : public ::testing::TestWithParam<TestBackend> {
protected:
    void commit(JsonCache& cache, const std::string& id, std::optional<std::string> json) {
        db_->write([&](Transaction& tx) { cache.onCommit(tx, id, json); });
    }
    TestDatabase database_{GetParam()};
    std::unique_ptr<Database> db_ = Database::open(database_.url());
};

TEST_P(JsonCacheTest, AWriteReplacesTheCopyWhenItCommits) {
    JsonCache cache;
    EXPECT_FALSE(cache.find("a"));
    commit(cache, "a", "v1");
    EXPECT_EQ(cache.find("a"), "v1");
    commit(cache, "a", "v2");
    EXPECT_EQ(cache.find("a"), "v2");
    commit(cache, "a", std::nullopt);
    EXPECT_FALSE(cache.find("a")) << "a deleted entity is forgotten";
}

TEST_P(JsonCacheTest, AWriteThatRollsBackLeavesTheCopyAlone) {
    JsonCache cache;
    commit(cache, "a", "v1");
    EXPECT_THROW(db_->write([&](Transaction& tx) {
        cache.onCommit(tx, "a", "never");
        throw std::runtime_error("roll back");
    }),
                 std::runtime_error);
    EXPECT_EQ(cache.find("a"), "v1");
}

TEST_P(JsonCacheTest, AReadOverlappingACommitDoesNotFillTheCache) {
    JsonCache cache;
    auto before = cache.generation();
    commit(cache, "b", "v2"); // commits while a read of "a" is under way
    cache.fill("a", "read from an older snapshot", before);
    EXPECT_FALSE(cache.find("a"));
    cache.fill("a", "v1", cache.generation());
    EXPECT_EQ(cache.find("a"), "v1");
}

TEST_P(JsonCacheTest, TheLeastRecentlyUsedGoFirstWhenFull) {
    JsonCache cache(4000);
    for (auto id : {"a", "b", "c"})
        cache.fill(id, std::string(1000, *id), cache.generation());
    EXPECT_TRUE(cache.find("a")); // now the most recently used
    cache.fill("d", std::string(1000, 'd'), cache.generation());
    cache.fill("e", std::string(1000, 'e'), cache.generation());
    EXPECT_TRUE(cache.find("a"));
    EXPECT_FALSE(cache.find("b"));
    EXPECT_TRUE(cache.find("e"));
    cache.fill("huge", std::string(2000, 'h'), cache.generation());
    EXPECT_FALSE(cache.find("huge")) << "one entity may not take over the cache";
}

INSTANTIATE_TEST_SUITE_P(Backends, JsonCacheTest, maestro::test::everyBackend(),
                         maestro::test::BackendName());
