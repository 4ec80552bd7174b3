#include "store/Migrations.h"

#include <Poco/Logger.h>

namespace maestro::host::store {

const std::vector<Migration>& sqliteMigrations();
const std::vector<Migration>& postgresMigrations();

namespace {

// The advisory lock that PostgreSQL servers migrating one database take turns on.
constexpr const char* kMigrationLock = "7316455301"; // "maestro" in digits, of a kind

int appliedVersion(Connection& connection) {
    auto query = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    query.step();
    return static_cast<int>(query.integer(0));
}

int migrateLocked(Connection& connection) {
    connection.execScript("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int current = appliedVersion(connection);
    for (const auto& migration : migrations(connection.backend())) {
        if (migration.number <= current) continue;
        // SQLite: take the write lock first and look again, so a server opening the same file at
        // the same moment never runs a migration the other has just applied.
        connection.exec(connection.backend() == Backend::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
        try {
            if (int applied = appliedVersion(connection); applied >= migration.number) {
                connection.exec("COMMIT");
                current = applied;
                continue;
            }
            connection.execScript(migration.sql);
            connection.exec("DELETE FROM schema_version");
            connection.prepare("INSERT INTO schema_version (version) VALUES (?)")
                .bind(1, static_cast<std::int64_t>(migration.number))
                .run();
            connection.exec("COMMIT");
        } catch (...) {
            connection.exec("ROLLBACK");
            throw;
        }
        current = migration.number;
        Poco::Logger::get("host.store")
            .information("applied migration %d (%s)", migration.number,
                         std::string{migration.name});
    }
    return current;
}

} // namespace

const std::vector<Migration>& migrations(Backend backend) {
    return backend == Backend::Postgres ? postgresMigrations() : sqliteMigrations();
}

int migrate(Connection& connection) {
    if (connection.backend() != Backend::Postgres) return migrateLocked(connection);
    connection.execScript(std::string("SELECT pg_advisory_lock(") + kMigrationLock + ")");
    try {
        int version = migrateLocked(connection);
        connection.execScript(std::string("SELECT pg_advisory_unlock(") + kMigrationLock + ")");
        return version;
    } catch (...) {
        connection.execScript(std::string("SELECT pg_advisory_unlock(") + kMigrationLock + ")");
        throw;
    }
}

} // namespace maestro::host::store
