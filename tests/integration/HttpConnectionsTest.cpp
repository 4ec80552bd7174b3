// Connections as the HTTP front sees them: keep-alive, pipelining, HEAD, the WebSocket
// hand-over — and the ones that would starve a thread-per-connection server: idle and
// slowloris connections by the thousand, the header, body and idle deadlines, the cap.
#include "RawHttp.h"
#include "TestServer.h"

#include <fstream>
#include <gtest/gtest.h>
#include <thread>

using namespace maestro::test;

namespace {

const std::string kHost = "Host: 127.0.0.1\r\n";

std::string get(const std::string& path, const std::string& extra = {}) {
    return "GET " + path + " HTTP/1.1\r\n" + kHost + extra + "\r\n";
}

std::string postProject(const std::string& name) {
    std::string body = R"({"name":")" + name + R"("})";
    return "POST /api/projects HTTP/1.1\r\n" + kHost +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A server whose config.json holds these settings.
std::unique_ptr<TestServer> serverWith(TempDir& home, const std::string& settings) {
    std::ofstream(home.path() / "config.json") << settings;
    return std::make_unique<TestServer>(home.path(), TestServer::Options{});
}

// Keeps sending one byte of a request head at a time until the server answers (or the
// deadline passes): a slowloris client.
std::optional<RawResponse> dripUntilAnswered(RawConnection& connection, const std::string& head) {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    for (std::size_t i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
        if (i < head.size() && !connection.send(head.substr(i, 1))) break;
        if (auto response = connection.read(50ms)) return response;
    }
    return connection.read(1s);
}

// A masked client frame carrying text (RFC 6455 §5.3), short enough for a 7-bit length.
std::string maskedTextFrame(const std::string& text) {
    const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
    std::string frame = {static_cast<char>(0x81), static_cast<char>(0x80 | text.size())};
    frame.append(reinterpret_cast<const char*>(mask), 4);
    for (std::size_t i = 0; i < text.size(); ++i)
        frame += static_cast<char>(text[i] ^ mask[i % 4]);
    return frame;
}

// The payloads of the unmasked text frames at the start of bytes (short frames only).
std::vector<std::string> textFrames(const std::string& bytes) {
    std::vector<std::string> texts;
    std::size_t at = 0;
    while (at + 2 <= bytes.size()) {
        std::size_t length = static_cast<unsigned char>(bytes[at + 1]) & 0x7f;
        std::size_t start = at + 2;
        if (length == 126) {
            length = (static_cast<unsigned char>(bytes[at + 2]) << 8) |
                     static_cast<unsigned char>(bytes[at + 3]);
            start += 2;
        }
        if (start + length > bytes.size()) break;
        texts.push_back(bytes.substr(start, length));
        at = start + length;
    }
    return texts;
}

} // namespace

TEST(HttpConnections, KeepAliveServesManyRequestsOnOneConnection) {
    TestServer server;
    RawConnection connection(server.port());
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(connection.send(get("/health")));
        auto response = connection.read();
        ASSERT_TRUE(response) << "request " << i;
        EXPECT_EQ(response->status, 200);
        EXPECT_EQ(response->header("Connection"), "keep-alive");
    }
    EXPECT_FALSE(connection.closedByServer(100ms));
}

TEST(HttpConnections, PipelinedRequestsAreAnsweredInOrder) {
    TestServer server;
    RawConnection connection(server.port());
    // One write: a create, then reads that must see it, then a miss — five answers in order.
    ASSERT_TRUE(connection.send(postProject("first") + get("/api/projects") +
                                "HEAD /api/projects HTTP/1.1\r\n" + kHost + "\r\n" +
                                postProject("second") + get("/api/projects/proj_none")));
    auto created = connection.read();
    ASSERT_TRUE(created);
    EXPECT_EQ(created->status, 201);
    auto list = connection.read();
    ASSERT_TRUE(list);
    EXPECT_EQ(list->status, 200);
    EXPECT_EQ(list->header("X-Total-Count"), "1");
    auto head = connection.read(10s, true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("Content-Length"), list->header("Content-Length"));
    auto second = connection.read();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 201);
    EXPECT_EQ(second->object()->getValue<std::string>("name"), "second");
    auto missing = connection.read();
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_TRUE(connection.pending().empty()) << "nothing beyond the five answers";
}

TEST(HttpConnections, HeadAnswersLikeGetWithoutTheBody) {
    TestServer server;
    auto project = server.client().createProject();
    RawConnection connection(server.port());
    ASSERT_TRUE(connection.send(get("/api/projects/" + project)));
    auto full = connection.read();
    ASSERT_TRUE(full);
    ASSERT_TRUE(
        connection.send("HEAD /api/projects/" + project + " HTTP/1.1\r\n" + kHost + "\r\n"));
    auto head = connection.read(10s, true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("Content-Length"), std::to_string(full->body.size()));
    EXPECT_TRUE(connection.pending().empty()) << "a HEAD answer has no body";
    // The connection stays in step: the next answer starts where the head ended.
    ASSERT_TRUE(connection.send(get("/api/projects/" + project)));
    auto again = connection.read();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->body, full->body);
}

TEST(HttpConnections, WebSocketUpgradeKeepsTheBytesSentBehindIt) {
    TestServer server;
    RawConnection connection(server.port());
    // The upgrade request and a first message in one write: the message must reach the hub.
    ASSERT_TRUE(connection.send(get("/ws", "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                           "Sec-WebSocket-Version: 13\r\n"
                                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n") +
                                maskedTextFrame(R"({"type":"ping"})")));
    auto switching = connection.read();
    ASSERT_TRUE(switching);
    EXPECT_EQ(switching->status, 101);
    EXPECT_EQ(switching->reason, "Switching Protocols");
    EXPECT_EQ(switching->header("Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    std::vector<std::string> messages;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline &&
           (messages = textFrames(connection.pending())).size() < 2)
        if (connection.closedByServer(100ms)) break;
    ASSERT_EQ(messages.size(), 2u) << connection.pending();
    EXPECT_NE(messages[0].find(R"("type":"connected")"), std::string::npos) << messages[0];
    EXPECT_NE(messages[1].find(R"("type":"pong")"), std::string::npos) << messages[1];
}

TEST(HttpConnections, IdleAndSlowlorisConnectionsDoNotDelayOthers) {
    raiseOpenFileLimit();
    TempDir home;
    // Deadlines far beyond the test, so every connection below is still held open.
    auto server =
        serverWith(home, R"({"httpHeaderTimeoutMs": 120000, "httpIdleTimeoutMs": 120000})");
    std::vector<RawConnection> idle;
    for (int i = 0; i < 1000; ++i)
        idle.emplace_back(server->port());
    std::vector<RawConnection> slow;
    for (int i = 0; i < 300; ++i) {
        slow.emplace_back(server->port());
        ASSERT_TRUE(slow.back().send("GET /health HTTP/1.1\r\nHo"));
    }
    // More than the server ever had threads: a thread-per-connection server would be stuck.
    for (int i = 0; i < 20; ++i) {
        RawConnection probe(server->port());
        ASSERT_TRUE(probe.send(get("/health")));
        auto response = probe.read();
        ASSERT_TRUE(response) << "probe " << i << " got no answer";
        EXPECT_EQ(response->status, 200);
    }
    // The held connections were kept, and still work.
    ASSERT_TRUE(idle.front().send(get("/health")));
    auto late = idle.front().read();
    ASSERT_TRUE(late);
    EXPECT_EQ(late->status, 200);
    ASSERT_TRUE(slow.front().send("st: 127.0.0.1\r\n\r\n"));
    auto finished = slow.front().read();
    ASSERT_TRUE(finished);
    EXPECT_EQ(finished->status, 200);
}

TEST(HttpConnections, HeadDeadlineAnswers408EvenToAClientThatKeepsSending) {
    TempDir home;
    auto server = serverWith(home, R"({"httpHeaderTimeoutMs": 300})");
    RawConnection connection(server->port());
    auto response = dripUntilAnswered(connection, "GET /health HTTP/1.1\r\n" + kHost +
                                                      "X-Padding: " + std::string(5000, 'p'));
    ASSERT_TRUE(response) << "no 408";
    EXPECT_EQ(response->status, 408);
    EXPECT_EQ(response->reason, "Request Timeout");
    EXPECT_EQ(response->object()->getValue<std::string>("code"), "request_timeout");
    EXPECT_EQ(response->header("Connection"), "close");
    EXPECT_TRUE(connection.closedByServer());
}

TEST(HttpConnections, BodyDeadlineAnswers408) {
    TempDir home;
    auto server = serverWith(home, R"({"httpBodyTimeoutMs": 300})");
    RawConnection connection(server->port());
    ASSERT_TRUE(connection.send("POST /api/projects HTTP/1.1\r\n" + kHost +
                                "Content-Length: 20\r\n\r\n{\"na"));
    auto response = connection.read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 408);
    EXPECT_EQ(response->object()->getValue<std::string>("code"), "request_timeout");
    EXPECT_TRUE(connection.closedByServer());
    EXPECT_EQ(server->client().get("/api/projects").header("X-Total-Count"), "0");
}

TEST(HttpConnections, IdleKeepAliveConnectionsAreClosedQuietly) {
    TempDir home;
    auto server = serverWith(home, R"({"httpIdleTimeoutMs": 300})");
    RawConnection silent(server->port());
    EXPECT_TRUE(silent.closedByServer());
    EXPECT_TRUE(silent.pending().empty()) << "an idle connection gets no answer, only a close";

    RawConnection used(server->port());
    ASSERT_TRUE(used.send(get("/health")));
    ASSERT_TRUE(used.read());
    EXPECT_TRUE(used.closedByServer());
    EXPECT_TRUE(used.pending().empty());
}

TEST(HttpConnections, ConnectionsBeyondTheCapAreRefusedWith503) {
    TempDir home;
    auto server = serverWith(home, R"({"httpMaxConnections": 20})");
    std::vector<RawConnection> held;
    for (int i = 0; i < 20; ++i) {
        held.emplace_back(server->port());
        ASSERT_TRUE(held.back().send(get("/health")));
        ASSERT_TRUE(held.back().read()) << "connection " << i << " within the cap";
    }
    RawConnection extra(server->port());
    extra.send(get("/health"));
    auto refused = extra.read();
    ASSERT_TRUE(refused) << "refused silently";
    EXPECT_EQ(refused->status, 503);
    EXPECT_EQ(refused->reason, "Service Unavailable");
    EXPECT_EQ(refused->header("Retry-After"), "1");
    EXPECT_EQ(refused->header("Connection"), "close");
    auto error = refused->object();
    EXPECT_EQ(error->getValue<std::string>("code"), "too_many_connections");
    EXPECT_EQ(error->getObject("details")->getValue<int>("limit"), 20);
    EXPECT_TRUE(extra.closedByServer());

    // Once one closes there is room again (the server notices the close on its own time).
    held.pop_back();
    std::optional<RawResponse> answer;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        RawConnection next(server->port());
        next.send(get("/health"));
        answer = next.read();
        if (answer && answer->status == 200) break;
    }
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
}
