#include "store/Migrations.h"

#include <Poco/Data/Transaction.h>
#include <Poco/Logger.h>

namespace maestro::host::store {

using namespace Poco::Data::Keywords;

int migrate(Poco::Data::Session& session) {
    session << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", now;
    int current = 0;
    session << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(current), now;

    for (const auto& migration : migrations()) {
        if (migration.number <= current) continue;
        Poco::Data::Transaction tx(session);
        // Poco's SQLite connector runs every statement of a multi-statement text in turn.
        session << std::string{migration.sql}, now;
        session << "DELETE FROM schema_version", now;
        session << "INSERT INTO schema_version (version) VALUES (?)", bind(migration.number), now;
        tx.commit();
        current = migration.number;
        Poco::Logger::get("host.store")
            .information("applied migration %d (%s)", migration.number,
                         std::string{migration.name});
    }
    return current;
}

} // namespace maestro::host::store
