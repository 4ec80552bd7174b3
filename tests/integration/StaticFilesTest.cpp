// The web UI's files: precompressed siblings by Accept-Encoding, caching, and source maps only
// when config.json asks for them.
#include "HttpClient.h"
#include "TestServer.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::test;

namespace {

void writeFile(const std::filesystem::path& file, const std::string& content) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
}

// A web root whose files say which variant was sent: the tests need no real compressor.
std::filesystem::path makeWebRoot(const std::filesystem::path& home) {
    auto web = home / "web";
    writeFile(web / "index.html", "INDEX");
    writeFile(web / "index.html.br", "INDEX-BR");
    writeFile(web / "index.html.gz", "INDEX-GZ");
    writeFile(web / "assets" / "app-1a2b.js", "APP");
    writeFile(web / "assets" / "app-1a2b.js.gz", "APP-GZ");
    writeFile(web / "assets" / "app-1a2b.js.map", "{\"version\":3}");
    writeFile(web / "assets" / "plain.css", "CSS");
    writeFile(home / "outside.br", "OUTSIDE");
    std::filesystem::create_symlink(home / "outside.br", web / "assets" / "plain.css.br");
    return web;
}

TestServer startWith(const TempDir& home, const std::string& extraConfig) {
    auto web = makeWebRoot(home.path());
    writeFile(home.path() / "config.json",
              "{\"webRoot\": \"" + web.string() + "\"" + extraConfig + "}");
    return TestServer(home.path(), {});
}

} // namespace

TEST(StaticFiles, SendsThePrecompressedFileTheClientAccepts) {
    TempDir home;
    auto server = startWith(home, "");
    auto http = server.client();

    auto br = http.get("/assets/app-1a2b.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    EXPECT_EQ(br.body, "APP-GZ") << "no .br beside it: gzip is next";
    EXPECT_EQ(br.header("Content-Encoding"), "gzip");
    EXPECT_EQ(br.header("Vary"), "Accept-Encoding");
    EXPECT_EQ(br.header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(br.header("Cache-Control"), "public, max-age=31536000, immutable");

    auto index = http.get("/", {{"Accept-Encoding", "gzip, br"}});
    EXPECT_EQ(index.body, "INDEX-BR");
    EXPECT_EQ(index.header("Content-Encoding"), "br");
    EXPECT_EQ(index.header("Cache-Control"), "no-cache");
    EXPECT_EQ(http.get("/board", {{"Accept-Encoding", "br;q=0, gzip"}}).body, "INDEX-GZ");
    EXPECT_EQ(http.get("/", {{"Accept-Encoding", "*"}}).body, "INDEX-BR");
    EXPECT_EQ(http.get("/", {{"Accept-Encoding", "*, br;q=0"}}).body, "INDEX-GZ");

    for (const std::string refusing : {"", "identity", "gzip;q=0, br;q=0", "*;q=0", "deflate"}) {
        auto plain = http.get("/", {{"Accept-Encoding", refusing}});
        EXPECT_EQ(plain.body, "INDEX") << refusing;
        EXPECT_EQ(plain.header("Content-Encoding"), "") << refusing;
        EXPECT_EQ(plain.header("Vary"), "Accept-Encoding") << refusing;
    }
}

TEST(StaticFiles, APrecompressedSiblingOutsideTheRootIsNotSent) {
    TempDir home;
    auto server = startWith(home, "");
    auto css = server.client().get("/assets/plain.css", {{"Accept-Encoding", "br"}});
    EXPECT_EQ(css.status, 200);
    EXPECT_EQ(css.body, "CSS");
    EXPECT_EQ(css.header("Content-Encoding"), "");
}

TEST(StaticFiles, SourceMapsAreServedOnlyWhenConfigured) {
    TempDir hidden;
    auto server = startWith(hidden, "");
    auto map = server.client().get("/assets/app-1a2b.js.map");
    EXPECT_EQ(map.status, 404);
    EXPECT_EQ(map.object()->getValue<std::string>("code"), "route_not_found");

    TempDir shown;
    auto debugging = startWith(shown, ", \"webSourceMaps\": true");
    auto served = debugging.client().get("/assets/app-1a2b.js.map");
    EXPECT_EQ(served.status, 200);
    EXPECT_EQ(served.body, "{\"version\":3}");
}
