#include "Paths.h"

#include "skillhost/Discovery.h"

#include <cstdlib>
#include <system_error>

namespace maestro::cli {

std::filesystem::path maestroHome() {
    if (const char* home = std::getenv("MAESTRO_HOME"); home && *home) return home;
    const char* user = std::getenv("HOME");
    return std::filesystem::path(user && *user ? user : ".") / ".agents-ui";
}

std::vector<std::filesystem::path> skillRoots() {
    return skillhost::skillRoots(maestroHome(), std::getenv("MAESTRO_SKILLS_PATH"));
}

std::filesystem::path executablePath() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : path;
}

} // namespace maestro::cli
