// Live events over WebSocket: every client gets every event in seq order, a client that
// reconnects with `since` misses nothing, and a slow client only hurts itself.
#include "TestServer.h"
#include "WsClient.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::test;
using Poco::JSON::Object;

namespace {

bool isType(const Object::Ptr& message, const std::string& prefix) {
    return message->getValue<std::string>("type").starts_with(prefix);
}

// Collects messages whose type starts with prefix until count arrived (or the deadline).
std::vector<Object::Ptr> collect(WsClient& ws, const std::string& prefix, std::size_t count,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    std::vector<Object::Ptr> got;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
        auto message = ws.receive(std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()));
        if (!message) break;
        if (isType(*message, prefix)) got.push_back(*message);
    }
    return got;
}

std::int64_t seqOf(const Object::Ptr& message) {
    return message->getValue<std::int64_t>("seq");
}

void expectGapFree(const std::vector<Object::Ptr>& events) {
    for (std::size_t i = 1; i < events.size(); ++i)
        EXPECT_EQ(seqOf(events[i]), seqOf(events[i - 1]) + 1) << "at " << i;
}

} // namespace

TEST(WebSocket, GreetsWithTheLastSeqAndAnswersPing) {
    TestServer server;
    server.client().createProject();
    WsClient ws(server.port(), "/ws");
    auto hello = ws.receive();
    ASSERT_TRUE(hello);
    EXPECT_EQ((*hello)->getValue<std::string>("type"), "connected");
    EXPECT_EQ((*hello)->getValue<std::int64_t>("lastSeq"), 1);
    ws.send(R"({"type":"ping"})");
    auto pong = ws.receive();
    ASSERT_TRUE(pong);
    EXPECT_EQ((*pong)->getValue<std::string>("type"), "pong");
}

TEST(WebSocket, BadMessagesGetAnErrorAndTheConnectionStays) {
    TestServer server;
    WsClient ws(server.port());
    ws.receive();
    for (const std::string bad :
         {"not json", "[1]", R"({"type":"teleport"})", R"({"type":"subscribe","since":-4})"}) {
        ws.send(bad);
        auto reply = ws.receive();
        ASSERT_TRUE(reply) << bad;
        EXPECT_EQ((*reply)->getValue<std::string>("type"), "error") << bad;
    }
    ws.send(R"({"type":"ping"})");
    auto pong = ws.receive();
    ASSERT_TRUE(pong);
    EXPECT_EQ((*pong)->getValue<std::string>("type"), "pong");
}

TEST(WebSocket, TwoClientsGetTheSameSubtaskEventsInTheSameOrder) {
    TestServer server;
    auto http = server.client();
    auto parent = http.createTask(http.createProject());
    WsClient a(server.port()), b(server.port(), "/ws");
    a.receive();
    b.receive();

    std::vector<std::string> subtasks;
    for (int i = 0; i < 5; ++i)
        subtasks.push_back(http.createSubtask(parent, "s" + std::to_string(i)));
    for (int i = 0; i < 5; ++i)
        http.patch("/api/tasks/" + parent + "/subtasks/" + subtasks[i], R"({"completed":true})");
    http.del("/api/tasks/" + parent + "/subtasks/" + subtasks[0]);

    auto gotA = collect(a, "subtask:", 11);
    auto gotB = collect(b, "subtask:", 11);
    ASSERT_EQ(gotA.size(), 11u);
    ASSERT_EQ(gotB.size(), 11u);
    for (std::size_t i = 0; i < gotA.size(); ++i) {
        EXPECT_EQ(seqOf(gotA[i]), seqOf(gotB[i]));
        EXPECT_EQ(gotA[i]->getValue<std::string>("type"), gotB[i]->getValue<std::string>("type"));
        if (i) {
            EXPECT_GT(seqOf(gotA[i]), seqOf(gotA[i - 1]));
        }
    }
    EXPECT_EQ(gotA[0]->getValue<std::string>("type"), "subtask:created");
    EXPECT_EQ(gotA[0]->getValue<std::string>("event"), "subtask:created");
    EXPECT_EQ(gotA[0]->getObject("data")->getValue<std::string>("taskId"), parent);
    EXPECT_EQ(gotA[0]->getObject("data")->getObject("subtask")->getValue<std::string>("title"),
              "s0");
    EXPECT_EQ(gotA[10]->getValue<std::string>("type"), "subtask:deleted");
    EXPECT_EQ(gotA[10]->getObject("data")->getValue<std::string>("subtaskId"), subtasks[0]);
}

TEST(WebSocket, ReconnectingWithSinceMissesNothing) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    std::int64_t lastSeen = 0;
    {
        WsClient ws(server.port());
        ws.receive();
        ws.send(R"({"type":"subscribe","since":0})");
        auto events = collect(ws, "project:", 1);
        ASSERT_EQ(events.size(), 1u);
        lastSeen = seqOf(events[0]);
    } // dropped

    for (int i = 0; i < 30; ++i)
        http.createTask(project, "while away " + std::to_string(i));

    WsClient ws(server.port());
    ws.receive();
    ws.send(R"({"type":"subscribe","since":)" + std::to_string(lastSeen) + "}");
    auto subscribed = ws.receive();
    ASSERT_TRUE(subscribed);
    EXPECT_EQ((*subscribed)->getValue<std::string>("type"), "subscribed");
    auto missed = collect(ws, "task:", 30);
    ASSERT_EQ(missed.size(), 30u);
    EXPECT_EQ(seqOf(missed[0]), lastSeen + 1);
    expectGapFree(missed);

    http.createTask(project, "live");
    auto live = collect(ws, "task:", 1);
    ASSERT_EQ(live.size(), 1u);
    EXPECT_EQ(seqOf(live[0]), seqOf(missed.back()) + 1)
        << "replay hands over to live without a gap or repeat";
}

TEST(WebSocket, ReplayDuringConcurrentWritesHasNoGapOrRepeat) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    for (int i = 0; i < 1200; ++i)
        http.createTask(project, "before " + std::to_string(i)); // > 2 replay pages

    WsClient ws(server.port());
    ws.receive();
    ws.send(R"({"type":"subscribe","since":1})");
    std::thread writer([&] {
        auto client = server.client();
        for (int i = 0; i < 100; ++i)
            client.createTask(project, "during " + std::to_string(i));
    });
    auto events = collect(ws, "task:", 1300, std::chrono::seconds(60));
    writer.join();
    ASSERT_EQ(events.size(), 1300u);
    EXPECT_EQ(seqOf(events[0]), 2);
    expectGapFree(events);
}

TEST(WebSocket, ProjectSubscriptionOnlyCarriesThatProject) {
    TestServer server;
    auto http = server.client();
    auto mine = http.createProject("mine"), other = http.createProject("other");
    WsClient ws(server.port());
    ws.receive();
    ws.send(R"({"type":"subscribe","projectId":")" + mine + R"("})");
    ws.receive(); // subscribed
    http.createTask(other, "not for me");
    http.createTask(mine, "for me");
    auto events = collect(ws, "task:", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]->getObject("data")->getValue<std::string>("title"), "for me");
}

TEST(WebSocket, SlowClientIsClosedWhileOthersGetEverything) {
    TempDir home;
    std::ofstream(home.path() / "config.json")
        << R"({"wsMaxQueuedMessages": 64, "wsMaxQueuedBytes": 1048576})";
    TestServer server(home.path(), {});
    auto http = server.client();
    auto project = http.createProject();

    // A client that completes the handshake and then never reads.
    Poco::Net::StreamSocket slow(Poco::Net::SocketAddress::IPv4);
    slow.setReceiveBufferSize(4096);
    slow.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())));
    std::string handshake =
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    slow.sendBytes(handshake.data(), static_cast<int>(handshake.size()));

    WsClient fast(server.port());
    fast.receive();
    std::string description(20000, 'x');
    constexpr int kEvents = 200;
    for (int i = 0; i < kEvents; ++i)
        http.post("/api/tasks", R"({"projectId":")" + project + R"(","title":"t","description":")" +
                                    description + R"("})");

    auto got = collect(fast, "task:", kEvents, std::chrono::seconds(30));
    EXPECT_EQ(got.size(), static_cast<std::size_t>(kEvents))
        << "the fast client must get every event";
    expectGapFree(got);

    // The slow client was cut off: draining its socket ends in EOF or a reset. Its tiny
    // receive window makes this a few thousand reads, so read without pausing. A pause of
    // 5 s with nothing arriving means the server holds it open; a shorter one can be a
    // server thread that a loaded machine has not run yet.
    bool closed = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    slow.setReceiveTimeout(Poco::Timespan(5, 0));
    while (!closed && std::chrono::steady_clock::now() < deadline) {
        char buffer[65536];
        try {
            closed = slow.receiveBytes(buffer, sizeof buffer) == 0;
        } catch (const Poco::TimeoutException&) {
            break; // nothing more arrives, yet the connection is open: not closed
        } catch (const Poco::Exception&) {
            closed = true;
        }
    }
    EXPECT_TRUE(closed);
}
