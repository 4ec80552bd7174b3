// Servers as nodes: each registers, heartbeats and is listed by GET /api/nodes; servers that
// share a PostgreSQL database see each other, and one that dies is declared down.
#include "TestDatabase.h"
#include "TestServer.h"

#include <Poco/Environment.h>
#include <fstream>
#include <gtest/gtest.h>
#include <map>

using namespace maestro::test;

namespace {

// id → status, as one node lists them.
std::map<std::string, std::string> statuses(const TestServer& server) {
    auto nodes = server.client().get("/api/nodes").array();
    std::map<std::string, std::string> result;
    for (std::size_t i = 0; i < nodes->size(); ++i) {
        auto node = nodes->getObject(static_cast<unsigned>(i));
        result[node->getValue<std::string>("id")] = node->getValue<std::string>("status");
    }
    return result;
}

// A node on the shared database with quick heartbeats, so that death shows within a second.
std::unique_ptr<TestServer> startNode(const TempDir& home, const std::string& database,
                                      const std::string& id) {
    std::ofstream(home.path() / "config.json")
        << R"({"heartbeatMs": 100, "nodeDownAfterMs": 1000})";
    TestServer::Options options;
    options.database = database;
    options.args = {"--node-id", id};
    return std::make_unique<TestServer>(home.path(), options);
}

} // namespace

TEST(Nodes, AServerListsItselfAsTheOneLiveNode) {
    TestServer server;
    auto response = server.client().get("/api/nodes");
    ASSERT_EQ(response.status, 200);
    auto nodes = response.array();
    ASSERT_EQ(nodes->size(), 1u);
    auto self = nodes->getObject(0);
    EXPECT_EQ(self->getValue<std::string>("id"),
              Poco::Environment::nodeName() + ":" + std::to_string(server.port()));
    EXPECT_EQ(self->getValue<std::string>("url"), server.baseUrl());
    EXPECT_EQ(self->getValue<std::string>("status"), "up");
    EXPECT_TRUE(self->getValue<bool>("self"));
    EXPECT_EQ(self->getValue<std::int64_t>("sessions"), 0);
    EXPECT_LE(self->getValue<std::int64_t>("startedAt"),
              self->getValue<std::int64_t>("lastHeartbeat"));
}

TEST(Nodes, ServersSharingADatabaseSeeEachOtherAndADeadOneGoesDown) {
    TestDatabase database(TestBackend::Postgres);
    TempDir homeA, homeB, homeC;
    auto a = startNode(homeA, database.url(), "node-a");
    auto b = startNode(homeB, database.url(), "node-b");
    auto c = startNode(homeC, database.url(), "node-c");
    const std::map<std::string, std::string> allUp = {
        {"node-a", "up"}, {"node-b", "up"}, {"node-c", "up"}};
    for (const auto* node : {a.get(), b.get(), c.get()})
        EXPECT_EQ(statuses(*node), allUp);

    c->kill();
    EXPECT_TRUE(waitUntil([&] { return statuses(*a)["node-c"] == "down"; }))
        << "a node that stopped heartbeating is declared down";
    EXPECT_EQ(statuses(*b)["node-b"], "up");

    EXPECT_EQ(b->stop(), 0);
    EXPECT_EQ(statuses(*a)["node-b"], "stopped") << "a clean shutdown is not a failure";

    c = startNode(homeC, database.url(), "node-c");
    EXPECT_TRUE(waitUntil([&] { return statuses(*a)["node-c"] == "up"; }))
        << "a node that comes back is up again";
}

TEST(Nodes, ABadDatabaseUrlStopsTheStartWithAMessage) {
    TestServer::Options options;
    options.database = "mysql://user:secret@localhost/db";
    try {
        TestServer server(options);
        FAIL() << "the server started on a database it cannot use";
    } catch (const std::runtime_error& e) {
        std::string log = e.what();
        EXPECT_NE(log.find("sqlite:PATH or postgresql://"), std::string::npos) << log;
        EXPECT_EQ(log.find("secret"), std::string::npos) << "the password is not logged";
    }
}
