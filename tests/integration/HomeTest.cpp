// The home and its secrets: an existing home is never changed, an unsafe one (or token file, or
// config.json) stops the server with exit 78 and the reason, and everything the server creates
// in it is for its user only.
#include "SessionSupport.h"
#include "TestServer.h"

#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using namespace maestro::test;

namespace {

namespace fs = std::filesystem;

constexpr int kExitConfig = 78;

unsigned modeOf(const fs::path& path) {
    struct stat info {};
    EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
}

// Starts a server on `home` (its log beside it, in `logHome`) that must refuse to start.
TestServer::StartFailure refusal(const fs::path& logHome, const fs::path& home,
                                 std::vector<std::string> args = {}) {
    TestServer::Options options;
    options.serverHome = home;
    options.args = std::move(args);
    try {
        TestServer server(logHome, options);
    } catch (const TestServer::StartFailure& failure) {
        return failure;
    }
    ADD_FAILURE() << "the server started on " << home;
    return {0, ""};
}

} // namespace

TEST(Home, NewHomeIsCreatedForItsUserOnly) {
    TempDir logs;
    const fs::path home = logs.path() / "new" / "home";
    TestServer::Options options;
    options.serverHome = home;
    TestServer server(logs.path(), options);
    EXPECT_EQ(modeOf(home), 0700u);
    EXPECT_EQ(modeOf(home / "sessions"), 0700u);
    EXPECT_EQ(modeOf(home / "maestro-skills"), 0700u);
    EXPECT_EQ(modeOf(home / "maestro.db"), 0600u);
}

TEST(Home, ExistingHomeKeepsItsMode) {
    TempDir home;
    fs::permissions(home.path(), fs::perms(0755));
    TestServer server(home.path(), {});
    EXPECT_EQ(server.client().get("/health").status, 200);
    server.stop();
    EXPECT_EQ(modeOf(home.path()), 0755u);
}

TEST(Home, WorldWritableHomeIsRefusedAndLeftAsItIs) {
    TempDir logs, home;
    fs::permissions(home.path(), fs::perms(01777)); // like /tmp
    auto failure = refusal(logs.path(), home.path());
    EXPECT_EQ(failure.exitCode, kExitConfig) << failure.log;
    EXPECT_NE(failure.log.find("the home " + home.path().string() +
                               " is writable by its group or others (mode 1777); refusing to "
                               "start"),
              std::string::npos)
        << failure.log;
    EXPECT_EQ(modeOf(home.path()), 01777u) << "the mode of an existing home is never changed";
    EXPECT_FALSE(fs::exists(home.path() / "maestro.db")) << "nothing was created in it";
}

TEST(Home, GroupWritableHomeIsRefused) {
    TempDir logs, home;
    fs::permissions(home.path(), fs::perms(0770));
    auto failure = refusal(logs.path(), home.path());
    EXPECT_EQ(failure.exitCode, kExitConfig) << failure.log;
    EXPECT_NE(failure.log.find("(mode 0770)"), std::string::npos) << failure.log;
    EXPECT_EQ(modeOf(home.path()), 0770u);
}

TEST(Home, HomeOwnedByAnotherUserIsRefused) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a folder to another user";
    TempDir logs, home;
    ASSERT_EQ(::chown(home.path().c_str(), 65534, 65534), 0);
    auto failure = refusal(logs.path(), home.path());
    EXPECT_EQ(failure.exitCode, kExitConfig) << failure.log;
    EXPECT_NE(failure.log.find("the home " + home.path().string() +
                               " is owned by uid 65534, not by the user running maestro-server "
                               "(uid 0)"),
              std::string::npos)
        << failure.log;
}

TEST(Home, HomeThatIsAFileIsRefused) {
    TempDir logs;
    std::ofstream(logs.path() / "file") << "not a folder";
    auto failure = refusal(logs.path(), logs.path() / "file");
    EXPECT_EQ(failure.exitCode, kExitConfig) << failure.log;
    EXPECT_NE(failure.log.find("is not a directory"), std::string::npos) << failure.log;
}

TEST(Home, TokenFileOpenToOthersIsRefused) {
    TempDir logs, home;
    std::ofstream(home.path() / "config.json") << R"({"requireToken": true})";
    std::ofstream(home.path() / "token") << std::string(64, 'a') << "\n";
    fs::permissions(home.path() / "token", fs::perms(0644));
    auto failure = refusal(logs.path(), home.path());
    EXPECT_EQ(failure.exitCode, kExitConfig) << failure.log;
    EXPECT_NE(failure.log.find("the token file " + (home.path() / "token").string() +
                               " is open to its group or others (mode 0644); refusing to start"),
              std::string::npos)
        << failure.log;
    EXPECT_EQ(modeOf(home.path() / "token"), 0644u);

    fs::permissions(home.path() / "token", fs::perms(0600));
    TestServer server(home.path(), {});
    EXPECT_EQ(server.client()
                  .get("/api/projects", {{"Authorization", "Bearer " + std::string(64, 'a')}})
                  .status,
              200)
        << "the existing token is used";
}

TEST(Home, TokenFileOwnedByAnotherUserIsRefused) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
    TempDir logs, home;
    std::ofstream(home.path() / "config.json") << R"({"requireToken": true})";
    std::ofstream(home.path() / "token") << std::string(64, 'a') << "\n";
    fs::permissions(home.path() / "token", fs::perms(0600));
    ASSERT_EQ(::chown((home.path() / "token").c_str(), 65534, 65534), 0);
    auto failure = refusal(logs.path(), home.path());
    EXPECT_EQ(failure.exitCode, kExitConfig) << failure.log;
    EXPECT_NE(failure.log.find("is owned by uid 65534"), std::string::npos) << failure.log;
}

TEST(Home, ConfigWritableByOthersIsRefused) {
    TempDir logs, home;
    std::ofstream(home.path() / "config.json") << R"({"port": 0})";
    fs::permissions(home.path() / "config.json", fs::perms(0666));
    auto failure = refusal(logs.path(), home.path());
    EXPECT_EQ(failure.exitCode, kExitConfig) << failure.log;
    EXPECT_NE(failure.log.find((home.path() / "config.json").string() +
                               " is writable by its group or others (mode 0666)"),
              std::string::npos)
        << failure.log;
}

TEST(Home, MalformedConfigExitsWithConfigError) {
    // Unparseable, and well-formed with a value out of its range.
    for (const char* text : {R"({"port": )", R"({"httpThreads": 1})", R"({"worktreePollMs": 5})",
                             R"({"heartbeatMs": 0})"}) {
        TempDir logs, home;
        std::ofstream(home.path() / "config.json") << text;
        auto failure = refusal(logs.path(), home.path());
        EXPECT_EQ(failure.exitCode, kExitConfig) << text << ": " << failure.log;
        EXPECT_NE(failure.log.find("config.json"), std::string::npos) << failure.log;
    }
}

// Everything the server and a session's holder create in the home — database, WAL, session
// folders, brief, output, socket, holder files, token — is for its user only.
TEST(Home, EverythingCreatedInTheHomeIsPrivate) {
    SessionServer s(R"(,"requireToken": true)");
    std::string token;
    std::ifstream(s.home->path() / "token") >> token;
    ASSERT_EQ(token.size(), 64u);
    const Headers auth = {{"Authorization", "Bearer " + token}};
    auto http = s.client();
    auto project = http.post("/api/projects",
                             R"({"name":"P","workingDir":")" + s.project().string() + R"("})", auth)
                       .object()
                       ->getValue<std::string>("id");
    auto task = http.post("/api/tasks", R"({"projectId":")" + project + R"(","title":"T"})", auth)
                    .object()
                    ->getValue<std::string>("id");
    auto spawned =
        http.post("/api/sessions/spawn", R"({"taskId":")" + task + R"(","agent":"ok"})", auth);
    ASSERT_EQ(spawned.status, 201) << spawned.body;
    auto id = spawned.object()->getValue<std::string>("sessionId");
    ASSERT_TRUE(waitUntil([&] { return fs::exists(s.sessionDir(id) / "exit.info"); }));

    // What the test itself put there is not the server's.
    const std::set<fs::path> byTheTest = {s.home->path() / "config.json",
                                          s.home->path() / "server.log", s.project(),
                                          s.home->path() / "maestro-skills"};
    std::size_t checked = 0;
    for (auto it = fs::recursive_directory_iterator(s.home->path());
         it != fs::recursive_directory_iterator(); ++it) {
        if (byTheTest.count(it->path())) {
            it.disable_recursion_pending();
            continue;
        }
        auto mode = modeOf(it->path());
        EXPECT_EQ(mode & 077, 0u) << it->path() << " has mode 0" << std::oct << mode;
        ++checked;
    }
    for (const auto& file : {s.home->path() / "maestro.db", s.home->path() / "token",
                             s.sessionDir(id), s.sessionDir(id) / "brief.md",
                             s.sessionDir(id) / "output.log", s.sessionDir(id) / "exit.info"})
        EXPECT_TRUE(fs::exists(file)) << file << " was looked at";
    EXPECT_GE(checked, 8u);
}
