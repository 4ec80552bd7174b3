#pragma once

#include <Poco/Data/Session.h>
#include <string_view>
#include <vector>

namespace maestro::host::store {

struct Migration {
    int number;
    std::string_view name;
    std::string_view sql;
};

// The embedded migrations/NNN_*.sql files, in order (generated at build time).
const std::vector<Migration>& migrations();

// Applies every migration newer than the recorded schema_version, each in its own
// transaction together with the new version number. Returns the resulting version.
int migrate(Poco::Data::Session& session);

} // namespace maestro::host::store
