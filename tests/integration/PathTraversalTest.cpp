// No spelling of a path reads a byte outside the root of a route that serves files: single,
// double and triple percent-encoding, upper and lower case escapes, overlong UTF-8,
// backslashes, doubled slashes, absolute paths, trailing dots, encoded NUL and symlinks out
// of the root, each sent on a raw connection exactly as written.
#include "RawHttp.h"
#include "TestServer.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace maestro::test;

namespace {

constexpr const char* kCanary = "CANARY-7f3a9c-outside-the-web-root";
constexpr const char* kPasswdMarker = "root:x:0:0";

void writeFile(const std::filesystem::path& file, const std::string& content) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
}

std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i)
        out += piece;
    return out;
}

// Ways to write ".." and "/" that a decoder applied once, twice or three times, or a
// lenient UTF-8 decoder, might turn into a step up.
const std::vector<std::string> kDotDots = {
    "..",
    "%2e%2e",
    "%2E%2E",
    ".%2e",
    "%2e.",
    "%252e%252e",
    "%25252e%25252e",
    "%c0%ae%c0%ae",
    "%e0%80%ae%e0%80%ae",
    ".%252e",
    "%2e%2e%00",
    "..%00",
};
const std::vector<std::string> kSeparators = {
    "/", "%2f", "%2F", "%252f", "%25252f", "%5c", "%255c", "\\", "%c0%af", "%e0%80%af", "//",
};

} // namespace

class PathTraversalTest : public ::testing::Test {
protected:
    // The web root is <home>/srv/web, so "../../secret.txt" from it names <home>/secret.txt.
    static void SetUpTestSuite() {
        home_ = new TempDir();
        auto web = home_->path() / "srv" / "web";
        writeFile(web / "index.html", "<html>INDEX</html>");
        writeFile(web / "assets" / "app.js", "APPJS");
        writeFile(home_->path() / "secret.txt", kCanary);
        writeFile(home_->path() / "srv" / "secret.txt", kCanary);
        std::filesystem::create_symlink(home_->path() / "secret.txt", web / "assets" / "escape.js");
        std::filesystem::create_directory_symlink(home_->path(), web / "linkdir");
        std::filesystem::create_symlink("/etc/passwd", web / "passwd");
        writeFile(home_->path() / "config.json", "{\"webRoot\": \"" + web.string() + "\"}");
        server_ = new TestServer(home_->path(), {});
    }
    static void TearDownTestSuite() {
        delete server_;
        delete home_;
    }

    static RawResponse get(const std::string& target) {
        RawConnection connection(server_->port());
        connection.send("GET " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        return connection.read().value_or(RawResponse{});
    }

    // Answers with something — never a silent close — and nothing from outside the root.
    static void expectNothingOutside(const std::string& target) {
        auto result = get(target);
        EXPECT_NE(result.status, 0) << target << ": no answer";
        EXPECT_EQ(result.body.find(kCanary), std::string::npos) << target;
        EXPECT_EQ(result.body.find(kPasswdMarker), std::string::npos) << target;
        if (result.status == 200) {
            EXPECT_TRUE(result.body == "<html>INDEX</html>" || result.body == "APPJS")
                << target << " served " << result.body.substr(0, 80);
        }
    }

    static TempDir* home_;
    static TestServer* server_;
};

TempDir* PathTraversalTest::home_ = nullptr;
TestServer* PathTraversalTest::server_ = nullptr;

TEST_F(PathTraversalTest, FilesInsideTheRootAreServed) {
    // The control: without it, a server serving nothing at all would pass every other test.
    auto index = get("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.body, "<html>INDEX</html>");
    auto asset = get("/assets/app.js");
    EXPECT_EQ(asset.status, 200);
    EXPECT_EQ(asset.body, "APPJS");
    EXPECT_EQ(get("/assets/%61pp.js").body, "APPJS") << "one decoding is still done";
    EXPECT_EQ(get("/board/some-task").body, "<html>INDEX</html>") << "app routes get the page";
}

TEST_F(PathTraversalTest, NoEncodingOfDotDotAndSlashLeavesTheRoot) {
    for (const auto& dots : kDotDots) {
        for (const auto& sep : kSeparators) {
            auto up = dots + sep;
            for (const std::string prefix : {"/", "/assets/", "/api/sessions/"}) {
                expectNothingOutside(prefix + repeat(up, 2) + "secret.txt");
                expectNothingOutside(prefix + repeat(up, 3) + "secret.txt");
                expectNothingOutside(prefix + repeat(up, 12) + "etc" + sep + "passwd");
            }
        }
    }
}

TEST_F(PathTraversalTest, AbsoluteAndOddSpellingsStayInside) {
    const std::vector<std::string> targets = {
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/%252fetc%252fpasswd",
        "/%25252fetc%25252fpasswd",
        "/assets/%2fetc%2fpasswd",
        "/assets/%252fetc%252fpasswd",
        "/assets//etc/passwd",
        "/etc/passwd",
        "/%5cetc%5cpasswd",
        "/\\etc\\passwd",
        "/../../secret.txt.",
        "/.../.../secret.txt",
        "/..;/..;/secret.txt",
        "/./.././../secret.txt",
        "/secret.txt%00.js",
        "/%00../../secret.txt",
        "/assets/..%2f..%2f..%2fsecret.txt",
        "/file:///etc/passwd",
        "http://127.0.0.1/../../secret.txt",
        "http://127.0.0.1/%2e%2e/%2e%2e/secret.txt",
        "/..%u2216..%u2216secret.txt",
        "/%",
        "/%2",
        "/%zz",
    };
    for (const auto& target : targets)
        expectNothingOutside(target);
}

TEST_F(PathTraversalTest, SymlinksOutOfTheRootAreRefused) {
    for (const std::string target : {"/assets/escape.js", "/linkdir/secret.txt", "/passwd",
                                     "/linkdir/srv/secret.txt", "/assets/%65scape.js"}) {
        auto result = get(target);
        EXPECT_EQ(result.status, 404) << target;
        EXPECT_EQ(result.body.find(kCanary), std::string::npos) << target;
        EXPECT_EQ(result.body.find(kPasswdMarker), std::string::npos) << target;
    }
}

TEST_F(PathTraversalTest, MalformedEscapesAreABadRequest) {
    for (const std::string target : {"/%", "/assets/%2", "/%zz/x", "/api/tasks/%g1"}) {
        auto result = get(target);
        EXPECT_EQ(result.status, 400) << target;
        EXPECT_EQ(result.object()->getValue<std::string>("code"), "invalid_uri") << target;
    }
}
