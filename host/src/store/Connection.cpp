#include "store/Connection.h"

#include "store/StorageError.h"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

namespace maestro::host::store {

using namespace Poco::Data::Keywords;

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

} // namespace

Connection::Connection(const std::string& file, Mode mode)
    : session_(open(file)), handle_(Poco::Data::SQLite::Utility::dbHandle(session_)) {
    // foreign_keys and busy_timeout are per connection; journal_mode=WAL lives in the file.
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
    // In WAL mode NORMAL keeps the database consistent after a crash; a power cut may lose
    // the last transactions, never corrupt the file.
    exec("PRAGMA synchronous = NORMAL");
    if (mode == Mode::ReadOnly) exec("PRAGMA query_only = ON");
}

Connection::~Connection() {
    for (auto& [sql, cached] : cache_)
        sqlite3_finalize(cached.statement);
}

void Connection::fail(int rc, std::string_view what) {
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
    default:
        break;
    }
    Poco::Data::SQLite::Utility::throwException(handle_, primary, std::string{what});
    throw std::logic_error("unreachable"); // throwException always throws
}

std::int64_t Connection::changes() noexcept {
    return sqlite3_changes64(handle_);
}

Statement Connection::prepare(std::string_view sql) {
    auto it = cache_.find(std::string{sql});
    if (it != cache_.end() && !it->second.inUse) {
        it->second.inUse = true;
        return Statement(*this, it->second.statement, &it->second.inUse);
    }
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    if (it != cache_.end()) return Statement(*this, statement, nullptr); // the cached one is busy
    auto [entry, added] = cache_.emplace(std::string{sql}, Cached{statement, true});
    return Statement(*this, statement, &entry->second.inUse);
}

Statement::Statement(Connection& connection, sqlite3_stmt* statement, bool* inUse)
    : connection_(&connection), statement_(statement), inUse_(inUse) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_), statement_(other.statement_), inUse_(other.inUse_) {
    other.statement_ = nullptr;
}

Statement::~Statement() {
    if (!statement_) return;
    if (!inUse_) {
        sqlite3_finalize(statement_);
        return;
    }
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    *inUse_ = false;
}

Statement& Statement::bind(int index, std::string_view text) {
    int rc = sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8);
    if (rc != SQLITE_OK) connection_->fail(rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(statement_, index, value);
    if (rc != SQLITE_OK) connection_->fail(rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view{*text}) : bindNull(index);
}

Statement& Statement::bindNull(int index) {
    int rc = sqlite3_bind_null(statement_, index);
    if (rc != SQLITE_OK) connection_->fail(rc, "bind");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    connection_->fail(rc, sqlite3_sql(statement_));
}

void Statement::run() {
    while (step()) {
    }
}

std::string_view Statement::text(int column) const {
    auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    if (!data) return {};
    return {data, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::optional<std::string> Statement::optionalString(int column) const {
    if (isNull(column)) return std::nullopt;
    return string(column);
}

} // namespace maestro::host::store
