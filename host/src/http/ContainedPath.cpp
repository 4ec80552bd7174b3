#include "http/ContainedPath.h"

#include "json/Utf8.h"

#include <algorithm>

namespace maestro::host::http {

namespace {

bool acceptableSegment(const std::string& segment) {
    return !segment.empty() && segment != "." && segment != ".." &&
           segment.find_first_of(std::string_view{"/\\\0", 3}) == std::string::npos &&
           json::isValidUtf8(segment);
}

bool isInside(const std::filesystem::path& path, const std::filesystem::path& root) {
    auto [rootEnd, pathEnd] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    return rootEnd == root.end();
}

} // namespace

ContainedPath ContainedPath::resolve(const std::filesystem::path& root,
                                     const std::vector<std::string>& segments) {
    if (!std::all_of(segments.begin(), segments.end(), acceptableSegment)) return {};
    std::error_code ec;
    auto realRoot = std::filesystem::canonical(root, ec);
    if (ec) return {};
    auto joined = realRoot;
    for (const auto& segment : segments)
        joined /= segment;
    // weakly_canonical resolves every symlink along the part of the path that exists.
    auto real = std::filesystem::weakly_canonical(joined, ec);
    if (ec || !isInside(real, realRoot)) return {};
    bool exists = std::filesystem::exists(real, ec);
    return {exists ? Kind::Found : Kind::Missing, std::move(real)};
}

} // namespace maestro::host::http
