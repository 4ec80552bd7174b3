#include "store/sqlite/SqliteConnection.h"

#include "store/StorageError.h"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

namespace maestro::host::store {

namespace {

constexpr int kBusyTimeoutMs = 5000;

Poco::Data::Session open(const std::string& file) {
    try {
        return Poco::Data::Session("SQLite", file);
    } catch (const Poco::Exception& e) {
        // The file, its folder or its disk is gone or refused: not a fault of any request.
        throw StorageUnavailable("cannot open " + file + ": " + e.displayText());
    }
}

class SqliteStatement final : public PreparedStatement {
public:
    SqliteStatement(SqliteConnection& connection, sqlite3_stmt* statement)
        : connection_(connection), statement_(statement) {}
    ~SqliteStatement() override { sqlite3_finalize(statement_); }

    void bindText(int index, std::string_view text) override {
        check(sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                  SQLITE_UTF8));
    }
    void bindInteger(int index, std::int64_t value) override {
        check(sqlite3_bind_int64(statement_, index, value));
    }
    void bindNull(int index) override { check(sqlite3_bind_null(statement_, index)); }

    bool step() override {
        int rc = sqlite3_step(statement_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        connection_.fail(rc, sqlite3_sql(statement_));
    }

    std::string_view text(int column) const override {
        auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
        if (!data) return {};
        return {data, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
    }
    std::int64_t integer(int column) const override {
        return sqlite3_column_int64(statement_, column);
    }
    bool isNull(int column) const override {
        return sqlite3_column_type(statement_, column) == SQLITE_NULL;
    }

    void reset() override {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) connection_.fail(rc, "bind");
    }

    SqliteConnection& connection_;
    sqlite3_stmt* statement_;
};

} // namespace

SqliteConnection::SqliteConnection(const std::string& file, Mode mode)
    : session_(open(file)), handle_(Poco::Data::SQLite::Utility::dbHandle(session_)) {
    // foreign_keys and busy_timeout are per connection; journal_mode=WAL lives in the file.
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
    // In WAL mode NORMAL keeps the database consistent after a crash; a power cut may lose
    // the last transactions, never corrupt the file.
    exec("PRAGMA synchronous = NORMAL");
    if (mode == Mode::ReadOnly) exec("PRAGMA query_only = ON");
}

SqliteConnection::~SqliteConnection() {
    forgetStatements();
}

void SqliteConnection::fail(int rc, std::string_view what) {
    // An extended result code (SQLITE_IOERR_WRITE, …) keeps its primary code in the low byte.
    const int primary = rc & 0xff;
    switch (primary) {
    case SQLITE_FULL:
        throw StorageFull(sqlite3_errmsg(handle_));
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        throw StorageUnavailable(sqlite3_errmsg(handle_));
    case SQLITE_CONSTRAINT:
        throw ConstraintViolation(sqlite3_errmsg(handle_));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw DatabaseBusy(sqlite3_errmsg(handle_));
    default:
        break;
    }
    Poco::Data::SQLite::Utility::throwException(handle_, primary, std::string{what});
    throw std::logic_error("unreachable"); // throwException always throws
}

std::unique_ptr<PreparedStatement> SqliteConnection::compile(std::string_view sql) {
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    return std::make_unique<SqliteStatement>(*this, statement);
}

void SqliteConnection::execScript(std::string_view sql) {
    int rc = sqlite3_exec(handle_, std::string{sql}.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
}

std::int64_t SqliteConnection::changes() {
    return sqlite3_changes64(handle_);
}

} // namespace maestro::host::store
