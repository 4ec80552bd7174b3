// Three servers on one PostgreSQL database: one event log in one order whichever node a client
// talks to, resuming on another node, idempotency keys and If-Match across nodes.
#include "TestDatabase.h"
#include "TestServer.h"
#include "WsClient.h"

#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <stdexcept>
#include <thread>

using namespace maestro::test;
using Poco::JSON::Object;

namespace {

constexpr int kNodes = 3;

class ClusterTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (int i = 0; i < kNodes; ++i) {
            std::ofstream(homes_[i].path() / "config.json")
                << R"({"heartbeatMs": 200, "nodeDownAfterMs": 2000})";
            TestServer::Options options;
            options.database = database_.url();
            options.args = {"--node-id", "node" + std::to_string(i)};
            nodes_[i] = std::make_unique<TestServer>(homes_[i].path(), options);
        }
    }

    TestServer& node(int i) { return *nodes_[i]; }
    std::int64_t lastSeq(int i) {
        return std::stoll(node(i).client().get("/api/events?limit=1").header("X-Last-Seq"));
    }

    TestDatabase database_{TestBackend::Postgres};
    TempDir homes_[kNodes];
    std::unique_ptr<TestServer> nodes_[kNodes];
};

// A client subscribed from `since`, recording the seq and type of every event it is sent.
struct Recorder {
    Recorder(TestServer& server, std::int64_t since) : ws(server.port()) {
        ws.receive(); // connected
        ws.send(R"({"type":"subscribe","since":)" + std::to_string(since) + "}");
        // Until `subscribed`, the connection carries every live event (docs/api.md); the
        // subscription's stream — every event after `since`, once — starts with that reply.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        for (;;) {
            auto message = ws.receive(std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now()));
            if (!message) throw std::runtime_error("no subscribed reply");
            if ((*message)->optValue<std::string>("type", "") == "subscribed") break;
        }
    }
    // Receives until the event with seq `last` arrived (or the deadline passed).
    void until(std::int64_t last, std::chrono::seconds timeout = std::chrono::seconds(20)) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while ((seqs.empty() || seqs.back() < last) &&
               std::chrono::steady_clock::now() < deadline) {
            auto message = ws.receive(std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now()));
            if (!message) break;
            if (!(*message)->has("seq")) continue; // subscribed, pong, …
            seqs.push_back((*message)->getValue<std::int64_t>("seq"));
            types.push_back((*message)->getValue<std::string>("type"));
        }
    }

    WsClient ws;
    std::vector<std::int64_t> seqs;
    std::vector<std::string> types;
};

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> result;
    for (auto seq = from; seq <= to; ++seq)
        result.push_back(seq);
    return result;
}

} // namespace

TEST_F(ClusterTest, ConcurrentWritesOnEveryNodeReachEveryClientInOneGapFreeOrder) {
    auto project = node(0).client().createProject();
    std::vector<std::unique_ptr<Recorder>> clients;
    for (int i = 0; i < kNodes; ++i)
        clients.push_back(std::make_unique<Recorder>(node(i), 0));

    constexpr int kTasksPerNode = 40;
    std::vector<std::thread> writers;
    for (int i = 0; i < kNodes; ++i)
        writers.emplace_back([&, i] {
            auto http = node(i).client();
            for (int t = 0; t < kTasksPerNode; ++t)
                http.createTask(project, "n" + std::to_string(i) + "-" + std::to_string(t));
        });
    for (auto& writer : writers)
        writer.join();

    auto last = lastSeq(0);
    EXPECT_GE(last, kNodes * kTasksPerNode + 1);
    for (int i = 0; i < kNodes; ++i) {
        clients[i]->until(last);
        EXPECT_EQ(clients[i]->seqs, range(1, last))
            << "node " << i << "'s client sees every event once, in seq order";
        EXPECT_EQ(clients[i]->types, clients[0]->types) << "node " << i;
    }
}

TEST_F(ClusterTest, ResumingWithSinceOnAnotherNodeMissesAndRepeatsNothing) {
    auto project = node(0).client().createProject();
    std::int64_t seen = 0;
    {
        Recorder first(node(0), 0);
        for (int t = 0; t < 5; ++t)
            node(1).client().createTask(project, "before " + std::to_string(t));
        first.until(lastSeq(0));
        ASSERT_FALSE(first.seqs.empty());
        seen = first.seqs.back();
    } // the client goes away

    for (int t = 0; t < 20; ++t)
        node(2).client().createTask(project, "while away " + std::to_string(t));
    auto last = lastSeq(1);

    Recorder resumed(node(1), seen);
    resumed.until(last);
    EXPECT_EQ(resumed.seqs, range(seen + 1, last));

    node(0).client().createTask(project, "live, written elsewhere");
    resumed.until(last + 1);
    EXPECT_EQ(resumed.seqs, range(seen + 1, last + 1)) << "replay hands over to live events";
}

TEST_F(ClusterTest, AnIdempotencyKeyRetriedOnAnotherNodeGetsTheFirstAnswer) {
    auto project = node(0).client().createProject();
    auto body = R"({"projectId":")" + project + R"(","title":"once"})";
    auto first = node(0).client().post("/api/tasks", body, {{"Idempotency-Key", "k-1"}});
    ASSERT_EQ(first.status, 201);
    for (int i = 1; i < kNodes; ++i) {
        auto again = node(i).client().post("/api/tasks", body, {{"Idempotency-Key", "k-1"}});
        EXPECT_EQ(again.status, 201);
        EXPECT_EQ(again.body, first.body);
        EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
    }
    EXPECT_EQ(node(2).client().get("/api/tasks?projectId=" + project).header("X-Total-Count"), "1");
}

TEST_F(ClusterTest, IfMatchRacesAcrossNodesHaveExactlyOneWinner) {
    auto project = node(0).client().createProject();
    auto id = node(0).client().createTask(project);
    for (int round = 1; round <= 10; ++round) {
        std::vector<int> statuses(kNodes);
        std::vector<std::thread> racers;
        for (int i = 0; i < kNodes; ++i)
            racers.emplace_back([&, i] {
                statuses[i] = node(i)
                                  .client()
                                  .patch("/api/tasks/" + id,
                                         // a title of its own: never a no-op
                                         R"({"title":"round )" + std::to_string(round) +
                                             " by node " + std::to_string(i) + R"("})",
                                         {{"If-Match", std::to_string(round)}})
                                  .status;
            });
        for (auto& racer : racers)
            racer.join();
        EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 1) << "round " << round;
        EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 412), kNodes - 1)
            << "round " << round;
    }
    auto task = node(1).client().get("/api/tasks/" + id).object();
    EXPECT_EQ(task->getValue<int>("version"), 11);
}

TEST_F(ClusterTest, EveryNodeListsEveryOther) {
    for (int i = 0; i < kNodes; ++i) {
        auto nodes = node(i).client().get("/api/nodes").array();
        ASSERT_EQ(nodes->size(), static_cast<std::size_t>(kNodes));
        std::set<std::string> up;
        for (std::size_t n = 0; n < nodes->size(); ++n) {
            auto entry = nodes->getObject(static_cast<unsigned>(n));
            if (entry->getValue<std::string>("status") == "up")
                up.insert(entry->getValue<std::string>("id"));
            if (entry->getValue<bool>("self")) {
                EXPECT_EQ(entry->getValue<std::string>("url"), node(i).baseUrl());
            }
        }
        EXPECT_EQ(up, (std::set<std::string>{"node0", "node1", "node2"}));
    }
}
