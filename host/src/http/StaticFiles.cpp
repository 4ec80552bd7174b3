#include "http/StaticFiles.h"

#include "http/ContainedPath.h"

#include <fstream>
#include <map>
#include <sstream>

namespace maestro::host::http {

namespace {

std::string contentType(const std::filesystem::path& file) {
    static const std::map<std::string, std::string> kTypes = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".map", "application/json; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"}};
    auto it = kTypes.find(file.extension().string());
    return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::optional<std::string> readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

} // namespace

bool StaticFiles::available() const {
    std::error_code ec;
    return std::filesystem::is_regular_file(root_ / "index.html", ec);
}

std::optional<Response> StaticFiles::serve(const std::vector<std::string>& segments) const {
    if (!available()) return std::nullopt;
    auto found = ContainedPath::resolve(root_, segments);
    if (found.kind == ContainedPath::Kind::Refused) return std::nullopt;
    std::error_code ec;
    bool isAsset = found.kind == ContainedPath::Kind::Found &&
                   std::filesystem::is_regular_file(found.path, ec);
    auto file = isAsset ? found.path : root_ / "index.html";
    auto content = readFile(file);
    if (!content) return std::nullopt;
    Response response{200, std::move(*content), contentType(file), {}};
    // Vite names assets by content hash, so they may be cached for good; index.html may not.
    bool hashed = isAsset && segments.size() > 1 && segments.front() == "assets";
    response.header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    response.header("X-Content-Type-Options", "nosniff");
    return response;
}

} // namespace maestro::host::http
