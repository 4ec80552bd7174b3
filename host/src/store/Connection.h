#pragma once

#include <Poco/Data/Session.h>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace maestro::host::store {

class Connection;

// A prepared statement borrowed from its connection's cache for one use: bind, step, read
// columns. Destruction resets it for the next borrower. Column views are valid until the
// next step().
class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    ~Statement();

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) {
        return bind(index, std::string_view{text});
    }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view{text}); }
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, const std::optional<std::string>& text); // nullopt binds NULL
    Statement& bindNull(int index);

    // Advances to the next row; false when there are no more. Throws the Poco::Data
    // exception for an SQLite error (constraint violations, a locked database, …).
    bool step();
    // Runs a statement that returns no rows.
    void run();

    std::string_view text(int column) const;
    std::string string(int column) const { return std::string(text(column)); }
    std::int64_t integer(int column) const;
    bool isNull(int column) const;
    std::optional<std::string> optionalString(int column) const;

private:
    friend class Connection;
    // inUse: the cache entry's flag, cleared when this borrow ends; null for an uncached statement.
    Statement(Connection& connection, sqlite3_stmt* statement, bool* inUse);

    Connection* connection_;
    sqlite3_stmt* statement_;
    bool* inUse_;
};

// One SQLite connection, opened through Poco::Data, with a cache of prepared statements.
//
// Poco::Data prepares a statement anew on every execution; for the short statements this
// server runs, preparing costs more than executing (measured: ~27 µs per Poco::Data query
// against ~3 µs for a cached statement). Connections therefore keep their statements
// prepared, keyed by SQL text; Poco::Data still opens and configures the connection and
// runs the migrations.
class Connection {
public:
    enum class Mode { ReadWrite, ReadOnly };
    Connection(const std::string& file, Mode mode);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Statement prepare(std::string_view sql);
    void exec(std::string_view sql) { prepare(sql).run(); }
    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() noexcept;
    Poco::Data::Session& session() noexcept { return session_; }

private:
    friend class Statement;
    [[noreturn]] void fail(int rc, std::string_view what);

    Poco::Data::Session session_; // first member: closed after every statement is finalized
    sqlite3* handle_;
    struct Cached {
        sqlite3_stmt* statement;
        bool inUse;
    };
    std::unordered_map<std::string, Cached> cache_;
};

} // namespace maestro::host::store
