#pragma once

#include "store/CommitListener.h"
#include "store/Connection.h"

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace maestro::host::store {

// The write side of one unit of work. Everything done through connection() commits or rolls
// back together; onCommit callbacks run after a successful COMMIT, in order, while the write
// lock is still held — which is what keeps published events in seq order. They must be
// quick and must not throw (an exception is logged and dropped: the data is committed).
class Transaction {
public:
    explicit Transaction(Connection& connection) : connection_(connection) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    Connection& connection() noexcept { return connection_; }
    void onCommit(std::function<void()> callback) { onCommit_.push_back(std::move(callback)); }

private:
    friend class Database;
    Connection& connection_;
    std::vector<std::function<void()>> onCommit_;
};

// Connections and transactions, on SQLite or PostgreSQL. One writer connection serialises
// this process's writes (SQLite allows one writer anyway; queueing in-process is cheaper than
// SQLITE_BUSY retries, and on PostgreSQL it is what makes group commit possible), while reads
// use a pool of read-only connections and run concurrently. On SQLite a background thread
// checkpoints the WAL, so no request pays for the fsyncs a checkpoint makes.
//
// Concurrent writes are committed in groups: one writer thread takes every unit of work queued
// while it was busy and runs them in one SQLite transaction, each inside its own SAVEPOINT,
// then commits once. (A thread of its own rather than "whoever comes first leads": handing
// the lead from thread to thread put a wake-up between every two commits.) A unit that throws
// is rolled back to its savepoint alone; the others commit. Each caller still returns only
// after its work is durable, in the same order as the log — but a COMMIT and the B-tree pages
// it writes are shared by the whole group, which is what lets writes keep up under load.
// Units run on the writer thread, so one must not wait for a lock its caller holds.
//
// Repositories speak SQL that SQLite and PostgreSQL share; each backend has its own
// Connection (store/sqlite, store/postgresql) and its own numbered migrations.
class Database {
public:
    // Opens the database a URL names: `sqlite:PATH` or `postgresql://user:password@host:port/
    // dbname`. Throws std::invalid_argument for any other URL.
    static std::unique_ptr<Database> open(const std::string& url);
    // Opens (creating if needed) the SQLite file: WAL, foreign keys, busy timeout, and runs
    // pending migrations. Throws on a file that cannot be opened or migrated.
    static std::unique_ptr<Database> openSqlite(const std::filesystem::path& file);
    // Connects to PostgreSQL and runs pending migrations (several servers may start at once:
    // one migrates, the others wait for it). Throws when it cannot connect or migrate.
    static std::unique_ptr<Database> openPostgres(const std::string& url);
    ~Database();

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs fn(connection) on a read connection — or, inside write() on this thread, on the
    // transaction's connection so a unit of work reads its own writes.
    template <class F> auto read(F&& fn) -> std::invoke_result_t<F, Connection&> {
        if (auto* tx = currentTransaction()) return std::forward<F>(fn)(tx->connection());
        ReaderLease lease(*this);
        return std::forward<F>(fn)(*lease.connection);
    }

    // Like read(), in one read transaction: every statement fn runs sees the same snapshot of
    // the database, whatever commits meanwhile. fn returns a value.
    template <class F> auto snapshot(F&& fn) -> std::invoke_result_t<F, Connection&> {
        if (auto* tx = currentTransaction()) return std::forward<F>(fn)(tx->connection());
        ReaderLease lease(*this);
        auto& connection = *lease.connection;
        if (lease.nested()) return std::forward<F>(fn)(connection); // the outer read's view
        // PostgreSQL's default (READ COMMITTED) gives each statement a snapshot of its own.
        connection.exec(backend_ == Backend::Postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                                      : "BEGIN");
        try {
            auto result = std::forward<F>(fn)(connection);
            connection.exec("COMMIT");
            return result;
        } catch (...) {
            connection.exec("ROLLBACK");
            throw;
        }
    }

    // Runs fn(transaction) in one write transaction. Nested calls on the same thread join
    // the outer transaction. An exception rolls everything back and propagates.
    template <class F> auto write(F&& fn) -> std::invoke_result_t<F, Transaction&> {
        using Result = std::invoke_result_t<F, Transaction&>;
        if (auto* tx = currentTransaction()) return std::forward<F>(fn)(*tx);
        if constexpr (std::is_void_v<Result>) {
            runWrite([&](Transaction& tx) { std::forward<F>(fn)(tx); });
        } else {
            std::optional<Result> result;
            runWrite([&](Transaction& tx) { result.emplace(std::forward<F>(fn)(tx)); });
            return std::move(*result);
        }
    }

    Backend backend() const noexcept { return backend_; }
    // Told when other servers commit events; null on SQLite, where this process is the only
    // writer.
    std::unique_ptr<CommitListener> listenForEvents();
    // Runs step in one write transaction after another until a run does fewer than `batch`
    // things (step says how many), so a long purge never holds other writers up for long.
    // Returns how many it did in all.
    std::int64_t writeInBatches(std::int64_t batch,
                                const std::function<std::int64_t(Transaction&)>& step) {
        std::int64_t total = 0;
        for (;;) {
            auto done = write(step);
            total += done;
            if (done < batch) return total;
        }
    }

    int schemaVersion();

private:
    // A reader connection for one read. A read nested in another read of the same database on
    // the same thread shares the outer read's connection: were it to wait for a second one, a
    // bounded pool (PostgreSQL's) taken whole by outer reads would wait forever.
    struct ReaderLease {
        explicit ReaderLease(Database& db);
        ~ReaderLease();
        ReaderLease(const ReaderLease&) = delete;
        ReaderLease& operator=(const ReaderLease&) = delete;
        bool nested() const noexcept { return !owned; }

        Database& db;
        Connection* connection = nullptr;  // owned, or the outer lease's
        std::unique_ptr<Connection> owned; // null when nested
        ReaderLease* outer;                // the lease this thread held before, if any
    };

    // A unit of work waiting for the writer thread. Its caller sleeps until the group it was
    // committed in is durable (or failed): one targeted wake-up per unit.
    struct WriteJob {
        const std::function<void(Transaction&)>* work;
        std::exception_ptr error;
        bool done = false;
        std::mutex mutex;
        std::condition_variable woken;

        void await();
        void finish();
    };

    using Connect = std::function<std::unique_ptr<Connection>(Connection::Mode)>;
    Database(Backend backend, Connect connect, std::size_t maxReaders);
    void start(std::string_view description);
    static Transaction*& currentTransaction() noexcept;
    static ReaderLease*& currentLease() noexcept; // this thread's innermost reader lease
    void runWrite(const std::function<void(Transaction&)>& fn);
    void writerLoop();
    void commitGroup(std::vector<WriteJob*>& group);
    void checkpointLoop();

    Backend backend_;
    Connect connect_;
    std::string postgresUrl_;
    std::size_t maxReaders_; // 0: as many as readers at once
    std::mutex queueMutex_;  // guards queue_ and closing_
    std::condition_variable queued_;
    std::vector<WriteJob*> queue_;
    bool closing_ = false;
    std::thread writerThread_;
    std::mutex writeMutex_; // held while the writer connection is in use
    std::unique_ptr<Connection> writer_;
    std::mutex readersMutex_;
    std::condition_variable readerFree_;
    std::vector<std::unique_ptr<Connection>> idleReaders_;
    std::size_t openReaders_ = 0;

    std::mutex checkpointMutex_;
    std::condition_variable checkpointWake_;
    bool stopping_ = false;
    std::thread checkpointer_;
};

} // namespace maestro::host::store
