#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace maestro::host::store {

// Which engine a connection talks to. Repositories speak SQL both share; the few statements
// that differ (the event log's last seq, say) ask the connection which one it is.
enum class Backend { Sqlite, Postgres };

// A statement prepared on one connection, as a backend implements it. Placeholders are
// numbered from 1 in the order of the `?` in the SQL text.
class PreparedStatement {
public:
    virtual ~PreparedStatement() = default;
    virtual void bindText(int index, std::string_view text) = 0;
    virtual void bindInteger(int index, std::int64_t value) = 0;
    virtual void bindNull(int index) = 0;
    virtual bool step() = 0;
    virtual std::string_view text(int column) const = 0;
    virtual std::int64_t integer(int column) const = 0;
    virtual bool isNull(int column) const = 0;
    // Ready for the next use: no result, no bindings.
    virtual void reset() = 0;
};

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

    // Advances to the next row; false when there are no more. Throws for a database error:
    // ConstraintViolation, DatabaseBusy (store/StorageError.h) or the backend's own exception.
    bool step();
    // Runs a statement that returns no rows.
    void run();

    std::string_view text(int column) const { return statement_->text(column); }
    std::string string(int column) const { return std::string(text(column)); }
    std::int64_t integer(int column) const { return statement_->integer(column); }
    bool isNull(int column) const { return statement_->isNull(column); }
    std::optional<std::string> optionalString(int column) const;

private:
    friend class Connection;
    // inUse: the cache entry's flag, cleared when this borrow ends; owned: a statement
    // prepared for this borrow alone (the cached one was busy).
    Statement(PreparedStatement* statement, bool* inUse, std::unique_ptr<PreparedStatement> owned);

    PreparedStatement* statement_;
    bool* inUse_;
    std::unique_ptr<PreparedStatement> owned_;
};

// One database connection with a cache of prepared statements, keyed by SQL text.
//
// Poco::Data prepares a statement anew on every execution; for the short statements this
// server runs, preparing costs more than executing (measured on SQLite: ~27 µs per Poco::Data
// query against ~3 µs for a cached statement; on PostgreSQL a prepare is a round trip of its
// own). Connections therefore keep their statements prepared; Poco::Data opens and
// configures the connection, and each backend (store/sqlite, store/postgresql) binds and
// steps statements through its engine's own handle.
class Connection {
public:
    enum class Mode { ReadWrite, ReadOnly };
    virtual ~Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Statement prepare(std::string_view sql);
    void exec(std::string_view sql) { prepare(sql).run(); }
    // Runs SQL text of one or more statements without parameters (a migration).
    virtual void execScript(std::string_view sql) = 0;
    // Rows changed by the last INSERT, UPDATE or DELETE.
    virtual std::int64_t changes() = 0;
    virtual Backend backend() const noexcept = 0;
    // The connection to the server was lost: the store replaces it instead of reusing it.
    virtual bool broken() const noexcept { return false; }

protected:
    Connection() = default;
    virtual std::unique_ptr<PreparedStatement> compile(std::string_view sql) = 0;
    // Drops every cached statement; a backend calls it before it closes its handle.
    void forgetStatements() noexcept { cache_.clear(); }

private:
    struct Cached {
        std::unique_ptr<PreparedStatement> statement;
        bool inUse = false;
    };
    std::unordered_map<std::string, Cached> cache_;
};

} // namespace maestro::host::store
