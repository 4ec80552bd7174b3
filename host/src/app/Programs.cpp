#include "app/Programs.h"

namespace maestro::host::app {

std::filesystem::path locateProgram(const std::filesystem::path& serverDir, const std::string& name,
                                    const std::string& buildFolder) {
    for (const auto& candidate : {serverDir / name, serverDir / ".." / buildFolder / name}) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec))
            return std::filesystem::canonical(candidate, ec);
    }
    return {};
}

} // namespace maestro::host::app
