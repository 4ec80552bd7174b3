#include "http/StaticFiles.h"

#include "http/ContainedPath.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
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

// Whether an Accept-Encoding header admits `coding`: listed with a q-value above 0, or covered
// by "*" when not listed at all.
bool accepts(std::string_view header, std::string_view coding) {
    std::optional<bool> listed, wildcard;
    for (const auto& item : Poco::StringTokenizer(std::string{header}, ",",
                                                  Poco::StringTokenizer::TOK_TRIM |
                                                      Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
        auto semicolon = item.find(';');
        auto name = Poco::toLower(Poco::trim(item.substr(0, semicolon)));
        bool refused = false;
        if (semicolon != std::string::npos) {
            auto params = Poco::replace(item.substr(semicolon + 1), " ", "");
            double q = 1;
            if (params.starts_with("q=") && Poco::NumberParser::tryParseFloat(params.substr(2), q))
                refused = q <= 0;
        }
        if (name == coding) listed = !refused;
        if (name == "*") wildcard = !refused;
    }
    return listed ? *listed : wildcard.value_or(false);
}

// Codings the build stores beside a file, in order of preference.
constexpr std::pair<std::string_view, std::string_view> kPrecompressed[] = {{"br", ".br"},
                                                                            {"gzip", ".gz"}};

} // namespace

bool StaticFiles::available() const {
    std::error_code ec;
    return std::filesystem::is_regular_file(root_ / "index.html", ec);
}

std::optional<Response> StaticFiles::serve(const std::vector<std::string>& segments,
                                           std::string_view acceptEncoding) const {
    if (!available()) return std::nullopt;
    auto found = ContainedPath::resolve(root_, segments);
    if (found.kind == ContainedPath::Kind::Refused) return std::nullopt;
    std::error_code ec;
    bool isAsset = found.kind == ContainedPath::Kind::Found &&
                   std::filesystem::is_regular_file(found.path, ec);
    if (isAsset && found.path.extension() == ".map" && !options_.sourceMaps) return std::nullopt;
    auto fileSegments = isAsset ? segments : std::vector<std::string>{"index.html"};
    auto file = isAsset ? found.path : root_ / "index.html";

    // A precompressed sibling, itself resolved inside the root, when the client takes it.
    std::optional<std::string> content;
    std::string_view coding;
    for (auto [name, suffix] : kPrecompressed) {
        if (!accepts(acceptEncoding, name)) continue;
        auto sibling = fileSegments;
        sibling.back() += suffix;
        auto compressed = ContainedPath::resolve(root_, sibling);
        if (compressed.kind != ContainedPath::Kind::Found) continue;
        if ((content = readFile(compressed.path))) {
            coding = name;
            break;
        }
    }
    if (!content) content = readFile(file);
    if (!content) return std::nullopt;
    Response response{200, std::move(*content), contentType(file), {}};
    if (!coding.empty()) response.header("Content-Encoding", std::string{coding});
    response.header("Vary", "Accept-Encoding");
    // Vite names assets by content hash, so they may be cached for good; index.html may not.
    bool hashed = isAsset && segments.size() > 1 && segments.front() == "assets";
    response.header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    response.header("X-Content-Type-Options", "nosniff");
    return response;
}

} // namespace maestro::host::http
