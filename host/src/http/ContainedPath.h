#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace maestro::host::http {

// Turns the decoded segments of a URL path into a path under `root`, for every route that
// serves files. A segment that is "." or "..", holds '/', '\' or NUL, or is not UTF-8 is
// refused outright; the joined path is then resolved (symlinks included) and refused unless
// it is still inside the resolved root.
struct ContainedPath {
    enum class Kind { Found, Missing, Refused } kind = Kind::Refused;
    std::filesystem::path path; // resolved; set for Found and Missing

    static ContainedPath resolve(const std::filesystem::path& root,
                                 const std::vector<std::string>& segments);
};

} // namespace maestro::host::http
