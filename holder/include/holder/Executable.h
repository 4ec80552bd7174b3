#pragma once

#include <string>

namespace maestro::holder {

// Finds an executable for `command` the way a shell would: as given when it contains '/'
// (relative to `cwd`), else in each directory of `path`. Empty when there is none. The holder
// starts agents with it; the server judges agent profiles with it (spawn/AgentProfiles.h).
std::string findExecutable(const std::string& command, const std::string& path,
                           const std::string& cwd);

} // namespace maestro::holder
