#pragma once

#include <Poco/Data/Session.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace maestro::host::store {

// The write side of one unit of work. Everything done through session() commits or rolls back
// together; onCommit callbacks run after a successful COMMIT, in order, while the write lock
// is still held — which is what keeps published events in seq order. They must be quick and
// must not throw (an exception is logged and dropped: the data is already committed).
class Transaction {
public:
    explicit Transaction(Poco::Data::Session& session) : session_(session) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    Poco::Data::Session& session() noexcept { return session_; }
    void onCommit(std::function<void()> callback) { onCommit_.push_back(std::move(callback)); }

private:
    friend class Database;
    Poco::Data::Session& session_;
    std::vector<std::function<void()>> onCommit_;
};

// Connections and transactions. One writer connection behind a mutex serialises all writes
// (SQLite allows one writer anyway; queueing in-process is cheaper than SQLITE_BUSY retries),
// while reads use a pool of connections and run concurrently thanks to WAL.
//
// The SQL in the repositories sticks to what SQLite and PostgreSQL share and goes through
// Poco::Data, so another Poco::Data connector can stand behind this class; the SQLite-specific
// parts are the pragmas in open() and the migrations' dialect.
class Database {
public:
    // Opens (creating if needed) the SQLite file: WAL, foreign keys, busy timeout, and runs
    // pending migrations. Throws on a file that cannot be opened or migrated.
    static std::unique_ptr<Database> openSqlite(const std::filesystem::path& file);
    ~Database();

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs fn(session) on a read connection — or, inside write() on this thread, on the
    // transaction's connection so a unit of work reads its own writes.
    template <class F> auto read(F&& fn) -> std::invoke_result_t<F, Poco::Data::Session&> {
        if (auto* tx = currentTransaction()) return std::forward<F>(fn)(tx->session());
        Poco::Data::Session session = readerSession();
        return std::forward<F>(fn)(session);
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

    const std::filesystem::path& file() const noexcept { return file_; }
    int schemaVersion();

private:
    struct ReaderPool;
    explicit Database(std::filesystem::path file);

    static Transaction*& currentTransaction() noexcept;
    void runWrite(const std::function<void(Transaction&)>& fn);
    Poco::Data::Session readerSession();

    std::filesystem::path file_;
    std::mutex writeMutex_;
    std::unique_ptr<Poco::Data::Session> writer_;
    std::unique_ptr<ReaderPool> readers_;
};

} // namespace maestro::host::store
