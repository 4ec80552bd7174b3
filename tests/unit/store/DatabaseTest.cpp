#include "store/Database.h"

#include "TempDir.h"
#include "store/EventRepository.h"
#include "store/Paging.h"
#include "store/ProjectRepository.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <atomic>
#include <gtest/gtest.h>
#include <thread>

using namespace maestro::host::store;
using maestro::test::TempDir;

TEST(Database, MigratesOnceAndRecordsTheSchemaVersion) {
    TempDir dir;
    int version = 0;
    {
        auto db = Database::openSqlite(dir.path() / "m.db");
        version = db->schemaVersion();
        EXPECT_GE(version, 1);
    }
    auto db = Database::openSqlite(dir.path() / "m.db");
    EXPECT_EQ(db->schemaVersion(), version);
    auto pragma = [&](const char* sql) {
        return db->read([&](Connection& c) {
            auto query = c.prepare(sql);
            query.step();
            return query.string(0);
        });
    };
    EXPECT_EQ(pragma("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(pragma("PRAGMA foreign_keys"), "1");
}

TEST(Database, FailedTransactionLeavesNothingAndConsumesNoSeq) {
    TempDir dir;
    auto db = Database::openSqlite(dir.path() / "t.db");
    db->write([](Transaction& tx) { EventRepository(tx.connection()).append("a", "", "{}", 1); });
    EXPECT_THROW(db->write([](Transaction& tx) {
        EventRepository(tx.connection()).append("b", "", "{}", 2);
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    auto seq = db->write([](Transaction& tx) {
        return EventRepository(tx.connection()).append("c", "", "{}", 3).seq;
    });
    EXPECT_EQ(seq, 2) << "seq must stay gap-free after a rollback";
    auto events = db->read([](Connection& c) { return EventRepository(c).since(0, 10); });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].type, "a");
    EXPECT_EQ(events[1].type, "c");
}

TEST(Database, NestedWritesJoinTheOuterTransactionAndReadTheirOwnWrites) {
    TempDir dir;
    auto db = Database::openSqlite(dir.path() / "n.db");
    int committed = 0;
    EXPECT_THROW(db->write([&](Transaction& tx) {
        tx.onCommit([&] { ++committed; });
        db->write([](Transaction& inner) {
            EventRepository(inner.connection()).append("x", "", "{}", 1);
        });
        auto seen = db->read([](Connection& c) { return EventRepository(c).lastSeq(); });
        EXPECT_EQ(seen, 1);
        throw std::runtime_error("abort all");
    }),
                 std::runtime_error);
    EXPECT_EQ(committed, 0) << "onCommit must not run for a rolled-back transaction";
    EXPECT_EQ(db->read([](Connection& c) { return EventRepository(c).lastSeq(); }), 0);
}

TEST(Database, OnCommitCallbacksRunInOrderAfterCommit) {
    TempDir dir;
    auto db = Database::openSqlite(dir.path() / "c.db");
    std::vector<std::int64_t> seen;
    db->write([&](Transaction& tx) {
        for (int i = 0; i < 3; ++i) {
            auto event = EventRepository(tx.connection()).append("e", "", "{}", i);
            tx.onCommit([&, event] {
                // Visible to other connections by now.
                seen.push_back(event.seq);
            });
        }
    });
    EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(Database, ForeignKeysRefuseATaskWithoutItsProject) {
    TempDir dir;
    auto db = Database::openSqlite(dir.path() / "f.db");
    EXPECT_THROW(db->write([](Transaction& tx) {
        tx.connection().exec("INSERT INTO tasks (id, project_id, status, sort_order, created_at, "
                             "version, json) VALUES ('t', 'nope', 'todo', 0, 0, 1, '{}')");
    }),
                 Poco::Data::SQLite::ConstraintViolationException);
}

TEST(Database, ConcurrentWritesCommitInGroupsAndAFailingUnitRollsBackAlone) {
    TempDir dir;
    auto db = Database::openSqlite(dir.path() / "g.db");
    std::atomic<int> committed{0}, failed{0}, published{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                bool fail = (t * 50 + i) % 7 == 0;
                try {
                    db->write([&](Transaction& tx) {
                        EventRepository(tx.connection()).append("e", "", "{}", i);
                        tx.onCommit([&] { ++published; });
                        if (fail) throw std::runtime_error("refused");
                    });
                    ++committed;
                } catch (const std::runtime_error&) {
                    ++failed;
                }
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(committed + failed, 400);
    EXPECT_EQ(published, committed.load()) << "callbacks run for committed units only";
    auto events = db->read([](Connection& c) { return EventRepository(c).since(0, 1000); });
    ASSERT_EQ(events.size(), static_cast<std::size_t>(committed.load()));
    for (std::size_t i = 0; i < events.size(); ++i)
        EXPECT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
}

TEST(Where, BuildsOneClauseForThePageAndItsCount) {
    TempDir dir;
    auto db = Database::openSqlite(dir.path() / "w.db");
    db->write([](Transaction& tx) {
        tx.connection().exec("CREATE TABLE items (kind TEXT, owner TEXT)");
        tx.connection().exec("INSERT INTO items VALUES ('a', 'x'), ('a', 'y'), ('b', 'x'), "
                             "('a', NULL)");
    });
    db->read([](Connection& connection) {
        EXPECT_EQ(Where().sql(), "");
        EXPECT_EQ(Where().count(connection, "items"), 4);

        Where where;
        where.add("kind = ?", "a").add("owner IS NOT NULL").add("owner = ?", "x");
        EXPECT_EQ(where.sql(), " WHERE kind = ? AND owner IS NOT NULL AND owner = ?");
        EXPECT_EQ(where.count(connection, "items"), 1);

        // Values bind from placeholder 1; what follows them starts where bind() says.
        auto query =
            connection.prepare("SELECT COUNT(*) FROM items" + where.sql() + " OR kind = ?");
        int next = where.bind(query);
        EXPECT_EQ(next, 3);
        query.bind(next, "b").step();
        EXPECT_EQ(query.integer(0), 2);

        // A page that ended early tells its total; a full or empty one is counted. (The
        // table's 4 rows say which: a total taken from the page alone would differ.)
        Where all;
        EXPECT_EQ(all.total(connection, "items", Page{10, 1}, 3), 4);
        EXPECT_EQ(all.total(connection, "items", Page{10, 0}, 0), 0); // from the page: empty
        EXPECT_EQ(all.total(connection, "items", Page{2, 0}, 2), 4);  // full: counted
        EXPECT_EQ(all.total(connection, "items", Page{2, 50}, 0), 4); // past the end: counted
    });
}
