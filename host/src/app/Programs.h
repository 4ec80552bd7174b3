#pragma once

#include <filesystem>
#include <string>

namespace maestro::host::app {

// Where a program that ships with maestro-server is (the maestro CLI, maestro-session):
// beside the server when installed, in its own folder of the build tree during development
// (`buildFolder`, a sibling of the server's host/). Empty when it is in neither place.
std::filesystem::path locateProgram(const std::filesystem::path& serverDir, const std::string& name,
                                    const std::string& buildFolder);

} // namespace maestro::host::app
