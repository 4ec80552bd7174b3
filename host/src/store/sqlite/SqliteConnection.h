#pragma once

#include "store/Connection.h"

#include <Poco/Data/Session.h>
#include <string>

struct sqlite3;

namespace maestro::host::store {

// A connection to the SQLite file, opened through Poco::Data, stepping cached `sqlite3_stmt`s
// on the handle Poco::Data opened: foreign keys on, a busy timeout, synchronous=NORMAL (WAL).
class SqliteConnection final : public Connection {
public:
    SqliteConnection(const std::string& file, Mode mode);
    ~SqliteConnection() override;

    void execScript(std::string_view sql) override;
    std::int64_t changes() override;
    Backend backend() const noexcept override { return Backend::Sqlite; }

    // Throws the exception for an SQLite result code (store/StorageError.h for constraints
    // and locks, Poco::Data's SQLite exceptions for the rest).
    [[noreturn]] void fail(int rc, std::string_view what);

protected:
    std::unique_ptr<PreparedStatement> compile(std::string_view sql) override;

private:
    Poco::Data::Session session_; // first member: closed after every statement is finalized
    sqlite3* handle_;
};

} // namespace maestro::host::store
