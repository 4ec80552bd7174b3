// Bounded data over HTTP: a task's timeline beyond its inline window is paged, a task never
// outgrows its limit, lists page by key, and the event log's retention is told to clients.
#include "TempDir.h"
#include "TestServer.h"
#include "WsClient.h"

#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::test;

namespace {

std::string entries(int count, const std::string& prefix) {
    std::string out;
    for (int i = 0; i < count; ++i)
        out += std::string(i ? "," : "") + R"({"type":"milestone","message":")" + prefix +
               std::to_string(i) + R"("})";
    return out;
}

std::vector<std::string> messagesOf(const Poco::JSON::Array::Ptr& array) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < array->size(); ++i)
        out.push_back(array->getObject(static_cast<unsigned>(i))->getValue<std::string>("message"));
    return out;
}

} // namespace

TEST(Limits, ATaskCarriesItsNewestEntriesAndPagesTheRest) {
    TestServer server;
    auto http = server.client();
    auto task = http.createTask(http.createProject());
    ASSERT_EQ(
        http.patch("/api/tasks/" + task, R"({"timeline":[)" + entries(100, "a") + "]}").status,
        200);
    auto last = http.patch("/api/tasks/" + task, R"({"timeline":[)" + entries(30, "b") + "]}");
    ASSERT_EQ(last.status, 200) << last.body;

    auto stored = http.get("/api/tasks/" + task).object();
    EXPECT_EQ(stored->getValue<int>("timelineCount"), 131);
    auto inline_ = messagesOf(stored->getArray("timeline"));
    ASSERT_EQ(inline_.size(), 50u);
    EXPECT_EQ(inline_.back(), "b29");
    EXPECT_EQ(last.body, http.get("/api/tasks/" + task).body) << "PATCH answers the stored task";

    // Paging back through the whole history, from the newest page to the first entry.
    std::vector<std::string> history;
    std::string query = "?limit=40";
    for (int pages = 0; pages < 10; ++pages) {
        auto page = http.get("/api/tasks/" + task + "/timeline" + query);
        ASSERT_EQ(page.status, 200) << page.body;
        EXPECT_EQ(page.header("X-Total-Count"), "131");
        auto array = page.array();
        if (array->size() == 0) break;
        auto older = messagesOf(array);
        history.insert(history.begin(), older.begin(), older.end());
        query = "?limit=40&before=" + array->getObject(0)->getValue<std::string>("id");
    }
    ASSERT_EQ(history.size(), 131u);
    EXPECT_EQ(history[0], "Task created");
    EXPECT_EQ(history[1], "a0");
    EXPECT_EQ(history[100], "a99");
    EXPECT_EQ(history[130], "b29");
    EXPECT_EQ(http.get("/api/tasks/task_nope/timeline").status, 404);
}

TEST(Limits, AChangeThatWouldMakeATaskLargerThanOneMiBIsRefused) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    auto task = http.createTask(project);
    auto big = http.patch("/api/tasks/" + task,
                          R"({"initialPrompt":")" + std::string(512 * 1024, 'p') +
                              R"(","description":")" + std::string(100 * 1024, 'd') + R"("})");
    ASSERT_EQ(big.status, 200) << big.body;
    auto before = http.get("/api/tasks/" + task).body;
    auto seq = http.get("/api/events?limit=1").header("X-Last-Seq");

    std::string ids;
    for (int i = 0; i < 900; ++i)
        ids += std::string(i ? "," : "") + "\"" + std::string(480, 's') + std::to_string(i) + "\"";
    auto refused = http.patch("/api/tasks/" + task, R"({"skillIds":[)" + ids + "]}");
    ASSERT_EQ(refused.status, 413) << refused.body.substr(0, 300);
    auto error = refused.object();
    EXPECT_EQ(error->getValue<std::string>("code"), "task_too_large");
    EXPECT_EQ(error->getObject("details")->getValue<int>("limit"), 1 << 20);
    EXPECT_GT(error->getObject("details")->getValue<int>("size"), 1 << 20);

    EXPECT_EQ(http.get("/api/tasks/" + task).body, before);
    EXPECT_EQ(http.get("/api/events?limit=1").header("X-Last-Seq"), seq) << "nothing announced";
}

TEST(Limits, TaskListsPageByKeyAsByOffset) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    std::vector<std::string> ids;
    for (int i = 0; i < 25; ++i)
        ids.push_back(http.createTask(project, "t" + std::to_string(i)));
    for (int i = 0; i < 12; ++i)
        http.createSubtask(ids[3], "s" + std::to_string(i));

    for (const std::string& base : {"/api/tasks?projectId=" + project + "&parentId=null&limit=10",
                                    "/api/tasks/" + ids[3] + "/children?limit=5",
                                    "/api/tasks/" + ids[3] + "/subtasks?limit=5"}) {
        SCOPED_TRACE(base);
        auto whole = http.get(base.substr(0, base.find("limit=")) + "limit=1000").array();
        std::vector<std::string> walked;
        std::string after;
        for (int pages = 0; pages < 20; ++pages) {
            auto page = http.get(base + after);
            ASSERT_EQ(page.status, 200) << page.body;
            EXPECT_EQ(page.header("X-Total-Count"), std::to_string(whole->size()));
            auto array = page.array();
            if (array->size() == 0) break;
            for (std::size_t i = 0; i < array->size(); ++i)
                walked.push_back(
                    array->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            after = "&after=" + walked.back();
        }
        ASSERT_EQ(walked.size(), whole->size());
        for (std::size_t i = 0; i < walked.size(); ++i)
            EXPECT_EQ(walked[i],
                      whole->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
    }
}

TEST(Limits, AnEventLogPrunedPastSinceAnswersResyncRequired) {
    TempDir home;
    std::ofstream(home.path() / "config.json") << R"({"eventLogMaxEvents": 5})";
    std::string project;
    {
        TestServer first(home.path(), {});
        auto http = first.client();
        project = http.createProject();
        for (int i = 0; i < 10; ++i)
            http.createTask(project);
    }
    // Housekeeping prunes a second after start-up.
    TestServer server(home.path(), {});
    auto http = server.client();
    ASSERT_TRUE(waitUntil([&] { return http.get("/api/events?since=0").status == 410; }));
    auto expired = http.get("/api/events?since=3&projectId=" + project);
    ASSERT_EQ(expired.status, 410) << expired.body;
    EXPECT_EQ(expired.reason, "Gone");
    auto error = expired.object();
    EXPECT_EQ(error->getValue<std::string>("code"), "resync_required");
    auto details = error->getObject("details");
    EXPECT_EQ(details->getValue<int>("since"), 3);
    EXPECT_EQ(details->getValue<int>("firstSeq"), 7);
    EXPECT_EQ(details->getValue<int>("lastSeq"), 11);

    // A WebSocket subscriber that far behind is told the same, then gets live events.
    WsClient ws(server.port());
    ASSERT_TRUE(ws.receive()); // connected
    ws.send(R"({"type":"subscribe","since":3})");
    auto resync = ws.receiveUntil([](const auto& m) {
        return m->template getValue<std::string>("type") == "resync_required";
    });
    ASSERT_TRUE(resync);
    EXPECT_EQ((*resync)->getValue<int>("firstSeq"), 7);
    EXPECT_EQ((*resync)->getValue<int>("lastSeq"), 11);
    http.createTask(project, "after the resync");
    auto event = ws.receiveUntil([](const auto& m) { return m->has("seq"); });
    ASSERT_TRUE(event);
    EXPECT_EQ((*event)->getValue<int>("seq"), 12);

    auto kept = http.get("/api/events");
    ASSERT_EQ(kept.status, 200);
    EXPECT_EQ(kept.array()->size(), 6u); // 7 to 11, and the one since
    EXPECT_EQ(kept.header("X-Total-Count"), "6");
    EXPECT_EQ(kept.array()->getObject(0)->getValue<int>("seq"), 7);
    EXPECT_EQ(http.get("/api/events?since=6").status, 200) << "since = firstSeq - 1 misses nothing";
}

TEST(Limits, AnEventTooBigForAClientsQueueArrivesAsAStubAndTheClientStays) {
    TempDir home;
    std::ofstream(home.path() / "config.json") << R"({"wsMaxQueuedBytes": 65536})";
    TestServer server(home.path(), {});
    auto http = server.client();
    auto project = http.createProject();
    WsClient ws(server.port());
    ASSERT_TRUE(ws.receive()); // connected
    ws.send(R"({"type":"subscribe"})");
    ASSERT_TRUE(ws.receive()); // subscribed

    auto created = http.post("/api/tasks", R"({"projectId":")" + project +
                                               R"(","title":"big","description":")" +
                                               std::string(100 * 1024, 'd') + R"("})");
    ASSERT_EQ(created.status, 201);
    auto id = created.object()->getValue<std::string>("id");
    auto stub = ws.receiveUntil([](const auto& m) { return m->has("seq"); });
    ASSERT_TRUE(stub) << "the client was closed: " << ws.closeCode().value_or(0);
    EXPECT_TRUE((*stub)->getValue<bool>("truncated"));
    EXPECT_EQ((*stub)->getValue<std::string>("type"), "task:created");
    EXPECT_EQ((*stub)->getValue<std::string>("event"), "task:created");
    EXPECT_EQ((*stub)->getValue<std::string>("id"), id);
    EXPECT_FALSE((*stub)->has("data"));
    auto seq = (*stub)->getValue<int>("seq");

    // Small events still come whole, and a replay of the big one is a stub too, not a close.
    http.createTask(project, "small");
    auto small = ws.receiveUntil([](const auto& m) { return m->has("seq"); });
    ASSERT_TRUE(small);
    EXPECT_TRUE((*small)->has("data"));
    ws.send(R"({"type":"subscribe","since":)" + std::to_string(seq - 1) + "}");
    auto replayed = ws.receiveUntil([](const auto& m) { return m->has("seq"); });
    ASSERT_TRUE(replayed) << "closed on resubscribe: " << ws.closeCode().value_or(0);
    EXPECT_EQ((*replayed)->getValue<int>("seq"), seq);
    EXPECT_TRUE((*replayed)->getValue<bool>("truncated"));
    ws.send(R"({"type":"ping"})");
    EXPECT_TRUE(ws.receiveUntil(
        [](const auto& m) { return m->template getValue<std::string>("type") == "pong"; }));
}

TEST(Limits, AReplayLargerThanTheSendQueueArrivesWholeWithoutAClose) {
    TempDir home;
    std::ofstream(home.path() / "config.json") << R"({"wsMaxQueuedBytes": 262144})";
    TestServer server(home.path(), {});
    auto http = server.client();
    auto project = http.createProject();
    constexpr int kEvents = 60; // 5 MiB of events, more than the queue and the socket buffers
    for (int i = 0; i < kEvents; ++i)
        http.post("/api/tasks", R"({"projectId":")" + project + R"(","title":"t","description":")" +
                                    std::string(90 * 1024, 'd') + R"("})");

    WsClient ws(server.port());
    ASSERT_TRUE(ws.receive()); // connected
    ws.send(R"({"type":"subscribe","since":0})");
    std::vector<int> seqs;
    while (seqs.size() < kEvents + 1) {
        auto event = ws.receiveUntil([](const auto& m) { return m->has("seq"); });
        ASSERT_TRUE(event) << "closed during the replay: " << ws.closeCode().value_or(0);
        EXPECT_FALSE((*event)->has("truncated")) << "each event fits the queue: none is a stub";
        seqs.push_back((*event)->getValue<int>("seq"));
    }
    for (int i = 0; i <= kEvents; ++i)
        EXPECT_EQ(seqs[static_cast<std::size_t>(i)], i + 1);
}
