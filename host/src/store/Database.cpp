#include "store/Database.h"

#include "store/Migrations.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Logger.h>

#include <optional>

namespace maestro::host::store {

using namespace Poco::Data::Keywords;

namespace {

constexpr int kBusyTimeoutMs = 5000;

void configureConnection(Poco::Data::Session& session) {
    // foreign_keys and busy_timeout are per connection; journal_mode=WAL is stored in the file.
    session << "PRAGMA foreign_keys = ON", now;
    session << "PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs), now;
    // In WAL mode NORMAL keeps the database consistent after a crash; a power cut may lose
    // the last transactions, never corrupt the file.
    session << "PRAGMA synchronous = NORMAL", now;
}

std::string connectionString(const std::filesystem::path& file) { return file.string(); }

} // namespace

struct Database::ReaderPool : Poco::Data::SessionPool {
    ReaderPool(const std::string& connection)
        : Poco::Data::SessionPool("SQLite", connection, 2, 512, 300) {}

protected:
    void customizeSession(Poco::Data::Session& session) override {
        configureConnection(session);
        session << "PRAGMA query_only = ON", now;
    }
};

Database::Database(std::filesystem::path file) : file_(std::move(file)) {}

Database::~Database() {
    if (readers_) readers_->shutdown();
}

std::unique_ptr<Database> Database::openSqlite(const std::filesystem::path& file) {
    Poco::Data::SQLite::Connector::registerConnector();
    std::unique_ptr<Database> db{new Database(file)};
    db->writer_ = std::make_unique<Poco::Data::Session>("SQLite", connectionString(file));
    auto& writer = *db->writer_;
    std::string mode;
    writer << "PRAGMA journal_mode = WAL", into(mode), now;
    configureConnection(writer);
    int version = migrate(writer);
    db->readers_ = std::make_unique<ReaderPool>(connectionString(file));
    Poco::Logger::get("host.store")
        .information("opened %s (schema version %d, journal %s)", file.string(), version, mode);
    return db;
}

int Database::schemaVersion() {
    return read([](Poco::Data::Session& session) {
        int version = 0;
        session << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(version), now;
        return version;
    });
}

Transaction*& Database::currentTransaction() noexcept {
    thread_local Transaction* current = nullptr;
    return current;
}

Poco::Data::Session Database::readerSession() { return readers_->get(); }

void Database::runWrite(const std::function<void(Transaction&)>& fn) {
    std::lock_guard lock(writeMutex_);
    auto& session = *writer_;
    Transaction tx(session);
    session << "BEGIN IMMEDIATE", now;
    currentTransaction() = &tx;
    try {
        fn(tx);
        currentTransaction() = nullptr;
        session << "COMMIT", now;
    } catch (...) {
        currentTransaction() = nullptr;
        try {
            session << "ROLLBACK", now;
        } catch (const std::exception& e) {
            Poco::Logger::get("host.store").error("rollback failed: %s", std::string{e.what()});
        }
        throw;
    }
    for (auto& callback : tx.onCommit_) {
        try {
            callback();
        } catch (const std::exception& e) {
            Poco::Logger::get("host.store").error("after-commit callback failed: %s",
                                                  std::string{e.what()});
        }
    }
}

} // namespace maestro::host::store
