#include "store/Database.h"

#include "store/Migrations.h"
#include "store/StorageError.h"
#include "store/postgresql/PostgresCommitListener.h"
#include "store/postgresql/PostgresConnection.h"
#include "store/sqlite/SqliteConnection.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Logger.h>
#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <utility>

namespace maestro::host::store {

namespace {

Poco::Logger& logger() {
    return Poco::Logger::get("host.store");
}

constexpr auto kCheckpointInterval = std::chrono::milliseconds(250);
// Under steady writes a PASSIVE checkpoint never catches up with the WAL's end, so the WAL
// would grow without bound; past this many frames (~16 MiB) writers pause for a RESTART.
constexpr std::int64_t kRestartFrames = 4096;
// Each PostgreSQL connection is a server process: a server keeps at most this many for
// reads, and a reader beyond them waits for one to come free.
constexpr std::size_t kPostgresReaders = 16;
// Locks the event log's head row (migrations/postgresql/001_initial.sql) until COMMIT.
constexpr const char* kTakeWriteTurn = "SELECT last_seq FROM event_head FOR UPDATE";
// The channel the events trigger notifies (migrations/postgresql/001_initial.sql).
constexpr const char* kEventsChannel = "maestro_events";
// How long a server opening a new SQLite file waits for its turn to switch it to WAL.
constexpr auto kWalSwitchTimeout = std::chrono::seconds(5);

// Switching a file to WAL takes it exclusively, and SQLite answers "database is locked" at once
// rather than through the busy timeout: servers opening a new file together take turns here.
std::string switchToWal(Connection& writer) {
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + kWalSwitchTimeout;
    for (auto pause = 1ms;; pause = std::min(pause * 2, 50ms)) {
        try {
            auto journal = writer.prepare("PRAGMA journal_mode = WAL");
            return journal.step() ? journal.string(0) : std::string{};
        } catch (const DatabaseBusy&) {
            if (std::chrono::steady_clock::now() + pause > deadline) throw;
        }
        std::this_thread::sleep_for(pause);
    }
}

} // namespace

Database::Database(Backend backend, Connect connect, std::size_t maxReaders)
    : backend_(backend), connect_(std::move(connect)), maxReaders_(maxReaders) {}

Database::~Database() {
    {
        std::lock_guard lock(queueMutex_);
        closing_ = true;
    }
    queued_.notify_one();
    if (writerThread_.joinable()) writerThread_.join();
    {
        std::lock_guard lock(checkpointMutex_);
        stopping_ = true;
    }
    checkpointWake_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
    if (backend_ != Backend::Sqlite || !writer_) return;
    try {
        // Leave a tidy file: everything in the main database, an empty WAL.
        std::lock_guard lock(writeMutex_);
        writer_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception& e) {
        logger().warning("final checkpoint failed: %s", std::string{e.what()});
    }
}

std::unique_ptr<Database> Database::open(const std::string& url) {
    if (url.starts_with("sqlite:")) return openSqlite(url.substr(7));
    if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
        return openPostgres(url);
    // Not echoed: a URL may carry a password.
    throw std::invalid_argument("the database URL must be sqlite:PATH or postgresql://…");
}

std::unique_ptr<Database> Database::openSqlite(const std::filesystem::path& file) {
    Poco::Data::SQLite::Connector::registerConnector();
    auto connect = [name = file.string()](Connection::Mode mode) -> std::unique_ptr<Connection> {
        return std::make_unique<SqliteConnection>(name, mode);
    };
    std::unique_ptr<Database> db{new Database(Backend::Sqlite, connect, 0)};
    // Created here, for its user only: SQLite gives the WAL and shared-memory files the
    // database's mode, and would create the database with the process's umask (0644).
    if (int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
    db->writer_ = connect(Connection::Mode::ReadWrite);
    auto& writer = *db->writer_;
    const std::string mode = switchToWal(writer);
    // Checkpoints run on their own thread (checkpointLoop), not inside a request's COMMIT.
    writer.exec("PRAGMA wal_autocheckpoint = 0");
    db->start(file.string() + " (journal " + mode + ")");
    db->checkpointer_ = std::thread([raw = db.get()] { raw->checkpointLoop(); });
    return db;
}

std::unique_ptr<Database> Database::openPostgres(const std::string& url) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    PostgresConnection::connectionString(url); // a malformed URL fails here, by name
    auto connect = [url](Connection::Mode mode) -> std::unique_ptr<Connection> {
        return std::make_unique<PostgresConnection>(url, mode);
    };
    std::unique_ptr<Database> db{new Database(Backend::Postgres, connect, kPostgresReaders)};
    db->postgresUrl_ = url;
    db->writer_ = connect(Connection::Mode::ReadWrite);
    auto* handle = static_cast<PostgresConnection&>(*db->writer_).handle();
    db->start(std::string("PostgreSQL database ") + PQdb(handle) + " on " + PQhost(handle));
    return db;
}

std::unique_ptr<CommitListener> Database::listenForEvents() {
    if (backend_ != Backend::Postgres) return nullptr;
    return std::make_unique<PostgresCommitListener>(postgresUrl_, kEventsChannel);
}

void Database::start(std::string_view description) {
    int version = migrate(*writer_);
    writerThread_ = std::thread([this] { writerLoop(); });
    logger().information("opened %s, schema version %d", std::string{description}, version);
}

void Database::checkpointLoop() {
    std::unique_ptr<Connection> connection;
    bool failing = false; // a full or read-only disk fails every round: say so once
    std::unique_lock lock(checkpointMutex_);
    while (!checkpointWake_.wait_for(lock, kCheckpointInterval, [this] { return stopping_; })) {
        try {
            if (!connection) connection = connect_(Connection::Mode::ReadWrite);
            // Copy what is committed into the database file without holding up anyone...
            std::int64_t walFrames = 0;
            {
                auto passive = connection->prepare("PRAGMA wal_checkpoint(PASSIVE)");
                if (passive.step()) walFrames = passive.integer(1);
            }
            // ...and, once the WAL is long, let it start over from the beginning while no
            // writer runs (RESTART waits for readers of the old frames, briefly).
            if (walFrames > kRestartFrames) {
                std::lock_guard writers(writeMutex_);
                connection->exec("PRAGMA wal_checkpoint(RESTART)");
            }
            if (failing) logger().information("checkpoints work again");
            failing = false;
        } catch (const std::exception& e) {
            if (!failing) logger().warning("checkpoint failed: %s", std::string{e.what()});
            failing = true;
        }
    }
}

int Database::schemaVersion() {
    return read([](Connection& connection) {
        auto query = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
        query.step();
        return static_cast<int>(query.integer(0));
    });
}

Transaction*& Database::currentTransaction() noexcept {
    thread_local Transaction* current = nullptr;
    return current;
}

Database::ReaderLease*& Database::currentLease() noexcept {
    thread_local ReaderLease* current = nullptr;
    return current;
}

Database::ReaderLease::ReaderLease(Database& database) : db(database), outer(currentLease()) {
    for (auto* lease = outer; lease; lease = lease->outer) {
        if (&lease->db == &db) {
            connection = lease->connection;
            currentLease() = this;
            return;
        }
    }
    {
        std::unique_lock lock(db.readersMutex_);
        db.readerFree_.wait(lock, [&] {
            return !db.idleReaders_.empty() || db.maxReaders_ == 0 ||
                   db.openReaders_ < db.maxReaders_;
        });
        if (!db.idleReaders_.empty()) {
            owned = std::move(db.idleReaders_.back());
            db.idleReaders_.pop_back();
        } else {
            ++db.openReaders_;
        }
    }
    if (!owned) {
        try {
            owned = db.connect_(Connection::Mode::ReadOnly);
        } catch (...) {
            std::lock_guard lock(db.readersMutex_);
            --db.openReaders_;
            db.readerFree_.notify_one();
            throw;
        }
    }
    connection = owned.get();
    currentLease() = this;
}

Database::ReaderLease::~ReaderLease() {
    currentLease() = outer;
    if (!owned) return; // nested: the outer lease gives the connection back
    std::lock_guard lock(db.readersMutex_);
    if (owned->broken()) {
        owned.reset(); // the next reader opens a new one
        --db.openReaders_;
    } else {
        db.idleReaders_.push_back(std::move(owned));
    }
    db.readerFree_.notify_one();
}

void Database::WriteJob::await() {
    std::unique_lock lock(mutex);
    woken.wait(lock, [this] { return done; });
}

void Database::WriteJob::finish() {
    // Notified under the lock: the waiter may return, destroying this job, once it is released.
    std::lock_guard lock(mutex);
    done = true;
    woken.notify_one();
}

void Database::runWrite(const std::function<void(Transaction&)>& fn) {
    WriteJob job{&fn};
    {
        std::lock_guard lock(queueMutex_);
        if (closing_) throw std::runtime_error("the database is closed");
        queue_.push_back(&job);
    }
    queued_.notify_one();
    job.await();
    if (job.error) std::rethrow_exception(job.error);
}

void Database::writerLoop() {
    for (;;) {
        std::vector<WriteJob*> group;
        {
            std::unique_lock lock(queueMutex_);
            queued_.wait(lock, [this] { return !queue_.empty() || closing_; });
            if (queue_.empty()) return; // closing, and everything queued is done
            group.swap(queue_);
        }
        commitGroup(group);
        for (auto* job : group)
            job->finish(); // the job may be gone once this returns
    }
}

void Database::commitGroup(std::vector<WriteJob*>& group) {
    std::lock_guard lock(writeMutex_);
    std::vector<std::unique_ptr<Transaction>> committed; // the units whose savepoint was kept
    std::vector<WriteJob*> kept;
    auto failAll = [&](std::exception_ptr error) {
        for (auto* job : group)
            if (!job->error) job->error = error;
    };
    try {
        if (writer_->broken()) { // the server went away and may be back
            logger().warning("reconnecting the writer");
            writer_ = connect_(Connection::Mode::ReadWrite);
        }
        // SQLite: take the write lock now rather than upgrade to it half way through.
        writer_->exec(backend_ == Backend::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
        // PostgreSQL: the same for every server sharing the database — the event log's head
        // row, locked until COMMIT, is the cluster's write turn (see docs/architecture.md,
        // Events). Each group then reads what every earlier group committed, wherever.
        if (backend_ == Backend::Postgres) writer_->exec(kTakeWriteTurn);
    } catch (...) {
        failAll(std::current_exception());
        return;
    }
    auto& connection = *writer_;
    for (auto* job : group) {
        auto tx = std::make_unique<Transaction>(connection);
        try {
            connection.exec("SAVEPOINT unit");
            currentTransaction() = tx.get();
            (*job->work)(*tx);
            currentTransaction() = nullptr;
            connection.exec("RELEASE unit");
            committed.push_back(std::move(tx));
            kept.push_back(job);
        } catch (...) {
            currentTransaction() = nullptr;
            job->error = std::current_exception();
            try {
                connection.exec("ROLLBACK TO unit");
                connection.exec("RELEASE unit");
            } catch (const std::exception& e) {
                // SQLite gave up the whole transaction (I/O error, disk full): nothing of the
                // group survives, so every unit fails.
                logger().error("transaction lost: %s", std::string{e.what()});
                failAll(job->error);
                break;
            }
        }
    }
    try {
        connection.exec("COMMIT");
    } catch (...) {
        failAll(std::current_exception());
        try {
            connection.exec("ROLLBACK");
        } catch (const std::exception& e) {
            logger().error("rollback failed: %s", std::string{e.what()});
        }
        committed.clear();
    }
    // Still holding the writer: callbacks publish events in commit (= seq) order.
    for (std::size_t i = 0; i < committed.size(); ++i) {
        if (kept[i]->error) continue;
        for (auto& callback : committed[i]->onCommit_) {
            try {
                callback();
            } catch (const std::exception& e) {
                logger().error("after-commit callback failed: %s", std::string{e.what()});
            }
        }
    }
}

} // namespace maestro::host::store
