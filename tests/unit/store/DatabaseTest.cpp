#include "store/Database.h"

#include "TempDir.h"
#include "TestDatabase.h"
#include "store/EventRepository.h"
#include "store/Migrations.h"
#include "store/Paging.h"
#include "store/ProjectRepository.h"
#include "store/StorageError.h"
#include "store/postgresql/PostgresConnection.h"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

using namespace maestro::host::store;
using maestro::test::TempDir;
using maestro::test::TestBackend;
using maestro::test::TestDatabase;

// The store's contract, on each backend.
class DatabaseTest : public ::testing::TestWithParam<TestBackend> {
protected:
    std::unique_ptr<Database> open() { return Database::open(database_.url()); }

    TestDatabase database_{GetParam()};
};

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, maestro::test::everyBackend(),
                         maestro::test::BackendName());

TEST_P(DatabaseTest, MigratesOnceAndRecordsTheSchemaVersion) {
    int version = 0;
    {
        auto db = open();
        version = db->schemaVersion();
        EXPECT_EQ(version, migrations(db->backend()).back().number);
    }
    auto db = open();
    EXPECT_EQ(db->schemaVersion(), version);
}

TEST_P(DatabaseTest, ServersStartingTogetherMigrateOnce) {
    std::vector<std::unique_ptr<Database>> opened(4);
    std::vector<std::thread> threads;
    for (auto& db : opened)
        threads.emplace_back([&] { db = open(); });
    for (auto& thread : threads)
        thread.join();
    for (auto& db : opened)
        EXPECT_EQ(db->schemaVersion(), migrations(db->backend()).back().number);
}

TEST_P(DatabaseTest, ReadConnectionsRefuseWrites) {
    auto db = open();
    EXPECT_ANY_THROW(db->read([](Connection& c) {
        c.exec("INSERT INTO events (type, data, timestamp) VALUES ('x', '{}', 1)");
    }));
    EXPECT_EQ(db->read([](Connection& c) { return EventRepository(c).lastSeq(); }), 0);
}

TEST(Database, RefusesAUrlOfAnotherKind) {
    EXPECT_THROW(Database::open("mysql://u:secret@host/db"), std::invalid_argument);
    EXPECT_THROW(Database::open("/plain/path.db"), std::invalid_argument);
    try {
        Database::open("postgresql://u:secret@host:notaport/db?nonsense=1");
        FAIL() << "a malformed URL opened";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("invalid PostgreSQL URL"), std::string::npos);
    }
}

TEST(PostgresConnection, NumbersPlaceholdersOutsideQuotedText) {
    int count = 0;
    EXPECT_EQ(PostgresConnection::numberPlaceholders(
                  "SELECT '?', \"a?\" FROM t WHERE a = ? AND b LIKE '%?%' AND c IN (?, ?)", count),
              "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b LIKE '%?%' AND c IN ($2, $3)");
    EXPECT_EQ(count, 3);
    EXPECT_EQ(PostgresConnection::numberPlaceholders("SELECT 'it''s ?' || ?", count),
              "SELECT 'it''s ?' || $1");
    EXPECT_EQ(count, 1);
}

TEST(SqliteDatabase, UsesWalAndForeignKeys) {
    TempDir dir;
    auto db = Database::openSqlite(dir.path() / "m.db");
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

TEST_P(DatabaseTest, FailedTransactionLeavesNothingAndConsumesNoSeq) {
    auto db = open();
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

TEST_P(DatabaseTest, NestedWritesJoinTheOuterTransactionAndReadTheirOwnWrites) {
    auto db = open();
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

TEST_P(DatabaseTest, OnCommitCallbacksRunInOrderAfterCommit) {
    auto db = open();
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

TEST_P(DatabaseTest, ForeignKeysRefuseATaskWithoutItsProject) {
    auto db = open();
    EXPECT_THROW(db->write([](Transaction& tx) {
        tx.connection().exec("INSERT INTO tasks (id, project_id, status, sort_order, created_at, "
                             "version, json) VALUES ('t', 'nope', 'todo', 0, 0, 1, '{}')");
    }),
                 ConstraintViolation);
}

TEST_P(DatabaseTest, ConcurrentWritesCommitInGroupsAndAFailingUnitRollsBackAlone) {
    auto db = open();
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
                        if (!fail) return;
                        // Half the failures are the database's own: after one, PostgreSQL
                        // refuses every statement until the unit's savepoint is rolled back.
                        if (i % 2) throw std::runtime_error("refused");
                        tx.connection().exec("INSERT INTO tasks (id, project_id, status, "
                                             "sort_order, created_at, version, json) VALUES "
                                             "('t', 'nope', 'todo', 0, 0, 1, '{}')");
                    });
                    ++committed;
                } catch (const std::runtime_error&) {
                    ++failed; // ConstraintViolation is one too
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

TEST_P(DatabaseTest, WhereBuildsOneClauseForThePageAndItsCount) {
    auto db = open();
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
