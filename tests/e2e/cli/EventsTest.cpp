// events --follow: live events over the WebSocket, resumed without loss after a reconnect.
#include "CliRunner.h"
#include "FaultProxy.h"
#include "TestServer.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace maestro::test {
namespace {

std::size_t lineCount(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(EventsTest, FollowStreamsLiveEventsAsJsonLines) {
    TestServer server;
    auto http = server.client();
    const auto project = http.createProject(); // before the stream: not shown
    Cli cli(server.baseUrl());
    auto follow = cli.start({"--json", "events", "--follow"});
    // Live only: nothing shows until the subscription is in place, so create tasks until one
    // arrives, then one more.
    ASSERT_TRUE(waitUntil([&] {
        http.createTask(project, "probe");
        return waitUntil([&] { return !follow->out().empty(); }, 200ms);
    }));
    http.createTask(project, "final");
    ASSERT_TRUE(waitUntil([&] {
        auto out = follow->out();
        return out.find("\"final\"") != std::string::npos && out.back() == '\n';
    })) << follow->out();
    auto events = CliResult{0, follow->out(), {}, {}}.lines();
    ASSERT_GE(events.size(), 2u);
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i]->getValue<std::string>("type"), "task:created");
        if (i > 0) {
            EXPECT_EQ(events[i]->getValue<long long>("seq"),
                      events[i - 1]->getValue<long long>("seq") + 1);
        }
    }
    EXPECT_EQ(events.back()->getObject("data")->getValue<std::string>("title"), "final");
}

TEST(EventsTest, FollowReplaysFromSince) {
    TestServer server;
    auto http = server.client();
    const auto project = http.createProject();
    http.createTask(project, "A");
    http.createTask(project, "B");
    Cli cli(server.baseUrl());
    auto result = cli.json({"events", "--follow", "--since", "1", "--count", "2"}, 20s);
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    auto events = result.lines();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0]->getValue<long long>("seq"), 2);
    EXPECT_EQ(events[1]->getValue<long long>("seq"), 3);
}

TEST(EventsTest, FollowResumesAfterALostConnectionWithoutLosingEvents) {
    TestServer server;
    auto http = server.client();
    const auto project = http.createProject();
    FaultProxy proxy(server.port());
    Cli cli("http://127.0.0.1:" + std::to_string(proxy.port()));
    cli.set("MAESTRO_RETRY_DELAY", "20");
    auto follow = cli.start({"-v", "--json", "--project", project, "events", "--follow", "--since",
                             "1", "--count", "4"});
    http.createTask(project, "one");
    ASSERT_TRUE(waitUntil([&] { return lineCount(follow->out()) == 1; })) << follow->err();

    // The connection drops; two events happen while the client is away.
    proxy.cutAll();
    http.createTask(project, "two");
    http.createTask(project, "three");
    http.createTask(project, "four");
    auto result = follow->wait(20s);
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    auto events = result.lines();
    ASSERT_EQ(events.size(), 4u) << result.describe() << proxy.connections() << " connections";
    for (std::size_t i = 0; i < events.size(); ++i)
        EXPECT_EQ(events[i]->getValue<long long>("seq"), static_cast<long long>(i) + 2);
    EXPECT_EQ(events[3]->getObject("data")->getValue<std::string>("title"), "four");
    EXPECT_GE(proxy.connections(), 2);
}

TEST(EventsTest, FollowPrintsTextForPeople) {
    TestServer server;
    auto http = server.client();
    const auto project = http.createProject("Demo");
    Cli cli(server.baseUrl());
    auto result = cli.run({"events", "--follow", "--since", "0", "--count", "1"}, 20s);
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    EXPECT_NE(result.out.find("#1  "), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("project:created  " + project + "  Demo"), std::string::npos)
        << result.out;
}

TEST(EventsTest, FollowGivesUpOnAnUnreachableServer) {
    TestServer server;
    const int port = server.port();
    server.stop();
    Cli cli("http://127.0.0.1:" + std::to_string(port));
    cli.set("MAESTRO_RETRY_DEADLINE", "500").set("MAESTRO_RETRY_DELAY", "20");
    auto result = cli.json({"events", "--follow"}, 20s);
    EXPECT_EQ(result.exitCode, 69) << result.describe();
    EXPECT_EQ(result.object()->getValue<std::string>("code"), "server_unreachable");
}

} // namespace
} // namespace maestro::test
