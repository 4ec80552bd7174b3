#include "holder/Executable.h"

#include <filesystem>
#include <unistd.h>

namespace maestro::holder {

std::string findExecutable(const std::string& command, const std::string& path,
                           const std::string& cwd) {
    namespace fs = std::filesystem;
    auto executable = [](const fs::path& file) {
        std::error_code ec;
        return fs::is_regular_file(file, ec) && ::access(file.c_str(), X_OK) == 0;
    };
    if (command.find('/') != std::string::npos) {
        fs::path file = command;
        if (file.is_relative()) file = fs::path(cwd) / file;
        return executable(file) ? file.string() : std::string{};
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        auto dir = path.substr(start, end - start);
        fs::path file = fs::path(dir.empty() ? "." : dir) / command;
        if (executable(file)) return file.string();
        start = end + 1;
    }
    return {};
}

} // namespace maestro::holder
