#pragma once

#include "store/Connection.h"

#include <Poco/Data/Session.h>
#include <string>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace maestro::host::store {

// A connection to PostgreSQL, opened through Poco::Data's PostgreSQL connector, running
// statements prepared once per connection (PQprepare, then PQexecPrepared with text
// parameters) on the libpq handle Poco::Data opened. The store's `?` placeholders become
// `$1`, `$2`, … A read-only connection refuses writes (default_transaction_read_only).
class PostgresConnection final : public Connection {
public:
    // url: postgresql://user:password@host:port/dbname (any libpq connection URI or
    // keyword/value string).
    PostgresConnection(const std::string& url, Mode mode);
    ~PostgresConnection() override;

    void execScript(std::string_view sql) override;
    std::int64_t changes() override { return changes_; }
    Backend backend() const noexcept override { return Backend::Postgres; }
    bool broken() const noexcept override;

    PGconn* handle() const noexcept { return handle_; }
    // Checks a result: throws ConstraintViolation, DatabaseBusy (store/StorageError.h) or a
    // Poco::Data::DataException naming `what` unless it succeeded. Takes the result over.
    PGresult* check(PGresult* result, std::string_view what);
    void noteChanges(PGresult* result) noexcept;
    bool closing() const noexcept { return closing_; }

    // The libpq keyword/value form of a URL; throws std::invalid_argument naming the problem.
    static std::string connectionString(const std::string& url);
    // `?` placeholders as `$1`, `$2`, …, leaving quoted text alone; count: how many.
    static std::string numberPlaceholders(std::string_view sql, int& count);

protected:
    std::unique_ptr<PreparedStatement> compile(std::string_view sql) override;

private:
    Poco::Data::Session session_;
    PGconn* handle_;
    std::int64_t changes_ = 0;
    bool closing_ = false;
    std::uint64_t prepared_ = 0; // names statements s1, s2, …
};

} // namespace maestro::host::store
