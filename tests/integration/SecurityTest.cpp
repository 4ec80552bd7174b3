// Web pages the user visits must never reach the server: Host and Origin checks, and the
// bearer token when one is required.
#include "TestServer.h"
#include "WsClient.h"

#include <Poco/Net/NetException.h>
#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::test;

class SecurityTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new TestServer(); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    static TestServer* server_;
};

TestServer* SecurityTest::server_ = nullptr;

TEST_F(SecurityTest, ForeignHostIsRefused) {
    auto http = server_->client();
    auto result =
        http.get("/api/projects", {{"Host", "evil.example:" + std::to_string(server_->port())}});
    EXPECT_EQ(result.status, 403);
    EXPECT_EQ(result.object()->getValue<std::string>("code"), "forbidden_host");
    EXPECT_EQ(http.get("/api/projects", {{"Host", "localhost:" + std::to_string(server_->port())}})
                  .status,
              200);
}

TEST_F(SecurityTest, ForeignOriginIsRefusedAndOwnOriginAllowed) {
    auto http = server_->client();
    auto port = std::to_string(server_->port());
    for (const std::string origin :
         {"http://evil.example", "null", "http://127.0.0.1:1", "file://"}) {
        auto result = http.post("/api/projects", R"({"name":"x"})", {{"Origin", origin}});
        EXPECT_EQ(result.status, 403) << origin;
        EXPECT_EQ(result.object()->getValue<std::string>("code"), "forbidden_origin");
    }
    EXPECT_EQ(http.get("/api/projects?limit=1", {{"Origin", "http://127.0.0.1:" + port}}).status,
              200);
    EXPECT_EQ(http.get("/api/projects?limit=1", {{"Origin", "http://localhost:" + port}}).status,
              200);
    EXPECT_EQ(http.get("/api/projects").header("X-Total-Count"), "0") << "nothing was created";
}

TEST_F(SecurityTest, WebSocketUpgradeFromForeignOriginIsRefused) {
    EXPECT_THROW(WsClient(server_->port(), "/", "http://evil.example"),
                 Poco::Net::WebSocketException);
    WsClient own(server_->port(), "/", "http://127.0.0.1:" + std::to_string(server_->port()));
    auto hello = own.receive();
    ASSERT_TRUE(hello);
    EXPECT_EQ((*hello)->getValue<std::string>("type"), "connected");
}

TEST(Token, RequiredTokenRefusesRequestsWithoutIt) {
    TempDir home;
    std::ofstream(home.path() / "config.json") << R"({"requireToken": true})";
    TestServer server(home.path(), {});
    std::string token;
    std::ifstream(home.path() / "token") >> token;
    ASSERT_EQ(token.size(), 64u);
    auto perms = std::filesystem::status(home.path() / "token").permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    auto http = server.client();
    EXPECT_EQ(http.get("/api/projects").status, 401);
    EXPECT_EQ(http.get("/api/projects", {{"Authorization", "Bearer wrong"}}).status, 401);
    EXPECT_EQ(http.get("/api/projects", {{"Authorization", "Bearer " + token}}).status, 200);
    EXPECT_THROW(WsClient(server.port(), "/"), Poco::Net::WebSocketException);
    WsClient withToken(server.port(), "/?token=" + token);
    EXPECT_TRUE(withToken.receive());
}

// ?token= is for WebSocket upgrades only (browsers cannot give them headers); the web UI's files
// need no token, since a browser must load the page before it can send the token on its API
// calls, and they hold no data.
TEST(Token, QueryTokenCountsOnlyOnAWebSocketUpgradeAndTheUiNeedsNone) {
    TempDir home;
    const auto web = home.path() / "web";
    std::filesystem::create_directories(web);
    const std::string page = "<!doctype html><title>Maestro</title>";
    std::ofstream(web / "index.html") << page;
    std::ofstream(home.path() / "config.json")
        << R"({"requireToken": true, "webRoot": ")" << web.string() << R"("})";
    TestServer server(home.path(), {});
    std::string token;
    std::ifstream(home.path() / "token") >> token;
    ASSERT_EQ(token.size(), 64u);

    auto http = server.client();
    for (const std::string path :
         {"/api/projects?token=", "/health?token=", "/api/projects?limit=1&token="}) {
        auto refused = http.get(path + token);
        EXPECT_EQ(refused.status, 401) << path;
        EXPECT_EQ(refused.object()->getValue<std::string>("code"), "unauthorized") << path;
    }
    EXPECT_EQ(http.post("/api/projects?token=" + token, R"({"name":"x"})").status, 401);
    EXPECT_EQ(
        http.get("/api/projects", {{"Authorization", "Bearer " + token}}).header("X-Total-Count"),
        "0")
        << "nothing was created";
    WsClient upgrade(server.port(), "/?token=" + token);
    EXPECT_TRUE(upgrade.receive());

    auto ui = http.get("/");
    EXPECT_EQ(ui.status, 200);
    EXPECT_EQ(ui.body, page);
    EXPECT_EQ(http.get("/api/projects").status, 401);
    EXPECT_EQ(http.get("/", {{"Host", "evil.example"}}).status, 403) << "Host is still checked";
}

TEST(Token, LoopbackIsDecidedByTheResolvedAddress) {
    // "localhost" resolves to 127.0.0.1: loopback, so no token is needed or created.
    TestServer::Options options;
    options.args = {"--bind", "localhost"};
    TestServer server(options);
    EXPECT_EQ(server.client().get("/api/projects").status, 200);
    EXPECT_FALSE(std::filesystem::exists(server.home() / "token"));
}
