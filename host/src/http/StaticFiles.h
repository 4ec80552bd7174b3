#pragma once

#include "http/Exchange.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::http {

// Serves the built web UI (web/dist) at /. Paths that name no file get index.html, so the
// single-page app's own routes survive a reload. Nothing outside the root is ever served
// (ContainedPath).
class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

    // `segments`: the decoded path of a RequestTarget. nullopt when the UI is not installed
    // or the path is refused.
    std::optional<Response> serve(const std::vector<std::string>& segments) const;
    bool available() const;

private:
    std::filesystem::path root_;
};

} // namespace maestro::host::http
