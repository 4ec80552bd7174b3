// The retry policy (docs/cli.md, "Retries and idempotency") against real failures: a server that is
// not up yet, a network that cuts connections, a server that never answers.
#include "CliRunner.h"
#include "FaultProxy.h"
#include "TestServer.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

namespace maestro::test {
namespace {

// A port nothing listens on (bound, read, released).
int freePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

TEST(RetryTest, ACommandWaitsForAServerThatStartsLater) {
    const int port = freePort();
    Cli cli("http://127.0.0.1:" + std::to_string(port));
    // The default policy: nothing set.
    auto command = cli.start({"--json", "project", "create", "Late"});
    // The scenario itself: the server comes up 1.5 s after the command started, on the port the
    // command was given (so it is started here rather than by TestServer, which picks a port).
    std::this_thread::sleep_for(1500ms);
    TempDir home;
    ChildProcess server(
        {MAESTRO_SERVER_BIN, "--port", std::to_string(port), "--home", home.path().string()},
        {"PATH=/usr/bin:/bin"});
    auto result = command->wait(30s);
    ASSERT_EQ(result.exitCode, 0) << result.describe() << "\n--- server\n" << server.err();
    EXPECT_GE(result.elapsed, 1500ms);
    EXPECT_EQ(result.object()->getValue<std::string>("name"), "Late");

    HttpClient http("127.0.0.1", port);
    auto projects = http.get("/api/projects").array();
    ASSERT_EQ(projects->size(), 1u);
    EXPECT_EQ(projects->getObject(0)->getValue<std::string>("name"), "Late");
}

TEST(RetryTest, CutConnectionsNeverDuplicateACreate) {
    TestServer server;
    auto http = server.client();
    const auto project = http.createProject("Flaky network");
    FaultProxy proxy(server.port());
    proxy.setFaults(true);
    Cli cli("http://127.0.0.1:" + std::to_string(proxy.port()));
    cli.set("MAESTRO_RETRY_DELAY", "20");

    constexpr int kCreates = 15;
    std::set<std::string> ids;
    for (int i = 0; i < kCreates; ++i) {
        auto result =
            cli.json({"--project", project, "task", "create", "Task " + std::to_string(i)});
        ASSERT_EQ(result.exitCode, 0) << result.describe();
        ids.insert(result.object()->getValue<std::string>("id"));
    }
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kCreates));
    // Every kind of cut happened, more than once.
    EXPECT_GE(proxy.cuts(), 5) << proxy.connections() << " connections";

    auto tasks = http.get("/api/tasks?projectId=" + project);
    EXPECT_EQ(tasks.header("X-Total-Count"), std::to_string(kCreates));
    EXPECT_EQ(tasks.array()->size(), static_cast<std::size_t>(kCreates));
}

TEST(RetryTest, CutConnectionsNeverDuplicateATimelineEntry) {
    TestServer server;
    auto http = server.client();
    const auto task = http.createTask(http.createProject());
    FaultProxy proxy(server.port());
    proxy.setFaults(true);
    Cli cli("http://127.0.0.1:" + std::to_string(proxy.port()));
    cli.set("MAESTRO_RETRY_DELAY", "20").set("MAESTRO_TASK_ID", task);
    for (int i = 0; i < 6; ++i) {
        auto result = cli.json({"report", "progress", "step " + std::to_string(i)});
        ASSERT_EQ(result.exitCode, 0) << result.describe();
    }
    auto timeline = http.get("/api/tasks/" + task).object()->getArray("timeline");
    int updates = 0;
    for (std::size_t i = 0; i < timeline->size(); ++i)
        updates += timeline->getObject(static_cast<unsigned>(i))->getValue<std::string>("type") ==
                   "update";
    EXPECT_EQ(updates, 6);
}

TEST(RetryTest, DeletesSurviveALostAnswer) {
    TestServer server;
    auto http = server.client();
    const auto project = http.createProject();
    std::vector<std::string> tasks;
    for (int i = 0; i < 6; ++i)
        tasks.push_back(http.createTask(project, "T" + std::to_string(i)));
    FaultProxy proxy(server.port());
    proxy.setFaults(true);
    Cli cli("http://127.0.0.1:" + std::to_string(proxy.port()));
    cli.set("MAESTRO_RETRY_DELAY", "20");
    for (const auto& task : tasks) {
        auto result = cli.json({"task", "delete", task});
        ASSERT_EQ(result.exitCode, 0) << result.describe();
        EXPECT_EQ(result.object()->getValue<std::string>("id"), task);
    }
    EXPECT_EQ(http.get("/api/tasks?projectId=" + project).array()->size(), 0u);
}

TEST(RetryTest, AnUnreachableServerIsExit69AfterTheDeadline) {
    Cli cli("http://127.0.0.1:" + std::to_string(freePort()));
    cli.set("MAESTRO_RETRIES", "100")
        .set("MAESTRO_RETRY_DELAY", "50")
        .set("MAESTRO_RETRY_DEADLINE", "1200");
    auto result = cli.json({"task", "get", "task_1"});
    EXPECT_EQ(result.exitCode, 69) << result.describe();
    EXPECT_GE(result.elapsed, 1200ms);
    EXPECT_LT(result.elapsed, 10s);
    auto error = result.object();
    EXPECT_TRUE(error->getValue<bool>("error"));
    EXPECT_EQ(error->getValue<std::string>("code"), "server_unreachable");
    auto details = error->getObject("details");
    EXPECT_GT(details->getValue<int>("attempts"), 2);
    EXPECT_EQ(details->getValue<std::string>("lastError"), "connection refused");

    auto text = cli.set("MAESTRO_RETRIES", "1").run({"status"});
    EXPECT_EQ(text.exitCode, 69);
    EXPECT_NE(text.err.find("cannot reach the Maestro server"), std::string::npos) << text.err;
}

TEST(RetryTest, RetriesCanBeTurnedOff) {
    Cli cli("http://127.0.0.1:" + std::to_string(freePort()));
    cli.set("MAESTRO_RETRIES", "0");
    auto result = cli.json({"-v", "status"});
    EXPECT_EQ(result.exitCode, 69);
    EXPECT_EQ(result.object()->getObject("details")->getValue<int>("attempts"), 1);
    EXPECT_LT(result.elapsed, 5s);
}

TEST(RetryTest, VerboseExplainsEachRetry) {
    Cli cli("http://127.0.0.1:" + std::to_string(freePort()));
    cli.set("MAESTRO_RETRIES", "2").set("MAESTRO_RETRY_DELAY", "10");
    auto result = cli.run({"-v", "status"});
    EXPECT_EQ(result.exitCode, 69);
    EXPECT_NE(result.err.find("retry: GET /api/status: connection refused (attempt 1)"),
              std::string::npos)
        << result.err;
}

} // namespace
} // namespace maestro::test
