#pragma once

#include "http/Exchange.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::host::http {

// Serves the built web UI (web/dist) at /. Paths that name no file get index.html, so the
// single-page app's own routes survive a reload. Nothing outside the root is ever served
// (ContainedPath).
//
// The build stores NAME.br and NAME.gz beside each compressible file; they are sent to clients
// whose Accept-Encoding takes them. Source maps (.map) are served only when asked for.
class StaticFiles {
public:
    struct Options {
        bool sourceMaps = false;
    };

    StaticFiles(std::filesystem::path root, Options options)
        : root_(std::move(root)), options_(options) {}

    // `segments`: the decoded path of a RequestTarget. nullopt when the UI is not installed
    // or the path is refused.
    std::optional<Response> serve(const std::vector<std::string>& segments,
                                  std::string_view acceptEncoding = {}) const;
    bool available() const;

private:
    std::filesystem::path root_;
    Options options_;
};

} // namespace maestro::host::http
