#pragma once

#include <filesystem>
#include <vector>

namespace maestro::cli {

// $MAESTRO_HOME, else ~/.agents-ui (docs/configuration.md, "Files").
std::filesystem::path maestroHome();

// Where skill folders are: <home>/maestro-skills, then the entries of $MAESTRO_SKILLS_PATH.
std::vector<std::filesystem::path> skillRoots();

// This executable, from /proc/self/exe; empty if it cannot be read.
std::filesystem::path executablePath();

} // namespace maestro::cli
