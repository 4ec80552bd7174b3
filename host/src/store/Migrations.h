#pragma once

#include "store/Connection.h"

#include <string_view>
#include <vector>

namespace maestro::host::store {

struct Migration {
    int number;
    std::string_view name;
    std::string_view sql;
};

// A backend's embedded migrations — migrations/NNN_*.sql for SQLite,
// migrations/postgresql/NNN_*.sql for PostgreSQL — in order (generated at build time).
const std::vector<Migration>& migrations(Backend backend);

// Applies every migration newer than the recorded schema_version, each in its own
// transaction together with the new version number. Returns the resulting version. On
// PostgreSQL, servers starting together take turns: one migrates while the others wait.
int migrate(Connection& connection);

} // namespace maestro::host::store
