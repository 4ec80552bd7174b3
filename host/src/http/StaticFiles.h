#pragma once

#include "http/Exchange.h"

#include <filesystem>
#include <optional>
#include <string_view>

namespace maestro::host::http {

// Serves the built web UI (web/dist) at /. Paths that name no file get index.html, so the
// single-page app's own routes survive a reload. Nothing outside the root is ever served.
class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

    // nullopt when the UI is not installed or the path escapes the root.
    std::optional<Response> serve(std::string_view path) const;
    bool available() const;

private:
    std::filesystem::path root_;
};

} // namespace maestro::host::http
