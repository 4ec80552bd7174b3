// The attention inbox: what needs a person, derived from the sessions and tasks, dismissable,
// announced as attention:changed, kept across restarts. Real agents in real pseudo-terminals.
#include "SessionSupport.h"
#include "WsClient.h"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

using namespace maestro::test;
using Poco::JSON::Object;

using namespace std::chrono_literals;

TEST(Attention, PromptIsAnItemWithItsLineUntilAnswered) {
    Watched watched;
    auto& [s, http, setup, ws] = watched;
    EXPECT_TRUE(attentionItems(http).empty());
    auto id = spawn(http, setup.task, "prompt");
    ASSERT_TRUE(waitForItem(http, "needs_input", id));
    EXPECT_TRUE(attentionChanged(ws, setup.project));
    auto item = attentionItem(http, "needs_input", id);
    EXPECT_EQ(item->getValue<std::string>("summary"), "Allow edit of notes.txt? (y/n)");
    EXPECT_EQ(item->getValue<std::string>("projectId"), setup.project);
    EXPECT_GT(item->getValue<std::int64_t>("since"), 0);

    ASSERT_EQ(http.post("/api/sessions/" + id + "/input", R"({"data":"y\r"})").status, 200);
    EXPECT_TRUE(waitForNoItem(http, "needs_input", id));
    EXPECT_TRUE(attentionChanged(ws, setup.project));
}

TEST(Attention, AgentsQuestionStalledAndFailedSessionsAndBlockedTasksAreItems) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto asks = spawn(http, setup.task, "asks");
    auto silent = spawn(http, setup.task, "silent");
    auto failing = spawn(http, setup.task, "fail");
    auto task =
        http.post("/api/tasks", R"({"projectId":")" + setup.project + R"(","title":"Schema"})")
            .object()
            ->getValue<std::string>("id");
    auto blocked = http.patch("/api/tasks/" + task,
                              R"({"status":"blocked","blockedReason":"waiting for the DBA"})");
    ASSERT_EQ(blocked.status, 200) << blocked.body;

    ASSERT_TRUE(waitForItem(http, "needs_input", asks));
    EXPECT_EQ(attentionItem(http, "needs_input", asks)->getValue<std::string>("summary"),
              "Which DB?");
    ASSERT_TRUE(waitForItem(http, "stalled", silent));
    ASSERT_TRUE(waitForItem(http, "failed", failing));
    EXPECT_NE(attentionItem(http, "failed", failing)
                  ->getValue<std::string>("summary")
                  .find("exit code 3"),
              std::string::npos);
    auto item = attentionItem(http, "blocked", task);
    ASSERT_TRUE(item);
    EXPECT_EQ(item->getValue<std::string>("summary"), "Schema: waiting for the DBA");
    // Since it was blocked — its blocker entry — which a later edit of the task does not move.
    auto timeline = http.get("/api/tasks/" + task).object()->getArray("timeline");
    std::int64_t blockedAt = 0;
    for (std::size_t i = 0; i < timeline->size(); ++i)
        if (timeline->getObject(static_cast<unsigned>(i))->getValue<std::string>("type") ==
            "blocker")
            blockedAt =
                timeline->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("timestamp");
    ASSERT_NE(blockedAt, 0) << "no blocker entry";
    EXPECT_EQ(item->getValue<std::int64_t>("since"), blockedAt);
    EXPECT_EQ(item->getValue<std::string>("id"),
              "blocked:" + task + ":" + std::to_string(blockedAt));
    auto nowMs = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    ASSERT_TRUE(waitUntil([&] { return nowMs() > blockedAt; }, 5s));
    auto edited = http.patch("/api/tasks/" + task, R"({"description":"The DBA is away"})");
    ASSERT_EQ(edited.status, 200);
    ASSERT_GT(edited.object()->getValue<std::int64_t>("updatedAt"), blockedAt);
    EXPECT_EQ(attentionItem(http, "blocked", task)->getValue<std::int64_t>("since"), blockedAt);

    // Per project, newest first.
    auto other =
        http.post("/api/projects", R"({"name":"Other"})").object()->getValue<std::string>("id");
    EXPECT_TRUE(attentionItems(http, "?projectId=" + other).empty());
    auto all = attentionItems(http, "?projectId=" + setup.project);
    EXPECT_EQ(all.size(), 4u);
    for (std::size_t i = 1; i < all.size(); ++i)
        EXPECT_GE(all[i - 1]->getValue<std::int64_t>("since"),
                  all[i]->getValue<std::int64_t>("since"));
    EXPECT_EQ(http.get("/api/attention?projectId=proj_nope").status, 404);

    // Unblocking clears the task's item.
    ASSERT_EQ(http.patch("/api/tasks/" + task, R"({"status":"in_progress"})").status, 200);
    EXPECT_TRUE(waitForNoItem(http, "blocked", task));
}

TEST(Attention, DismissedItemsStayGoneAcrossARestartAndNewOnesShow) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto failing = spawn(http, setup.task, "fail");
    auto asks = spawn(http, setup.task, "asks");
    ASSERT_TRUE(waitForItem(http, "failed", failing));
    ASSERT_TRUE(waitForItem(http, "needs_input", asks));
    auto failedId = attentionItem(http, "failed", failing)->getValue<std::string>("id");

    WsClient ws(s.server->port());
    ws.receive();
    auto answer = http.post("/api/attention/dismiss",
                            R"({"ids":[")" + failedId + R"(","needs_input:sess_x:1"]})");
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.object()->getArray("dismissed")->getElement<std::string>(0), failedId);
    EXPECT_EQ(answer.object()->getArray("unknown")->getElement<std::string>(0),
              "needs_input:sess_x:1");
    EXPECT_TRUE(attentionChanged(ws, setup.project));
    EXPECT_FALSE(attentionItem(http, "failed", failing));

    EXPECT_EQ(http.post("/api/attention/dismiss", R"({"ids":[]})").status, 400);
    EXPECT_EQ(http.post("/api/attention/dismiss", R"({"ids":"x"})").status, 400);
    EXPECT_EQ(http.post("/api/attention/dismiss", R"({})").status, 400);

    s.start();
    auto restarted = s.client();
    EXPECT_FALSE(attentionItem(restarted, "failed", failing)) << "the dismissal is stored";
    auto item = attentionItem(restarted, "needs_input", asks);
    ASSERT_TRUE(item) << "the agent's question outlives the restart";
    EXPECT_EQ(item->getValue<std::string>("summary"), "Which DB?");

    // A session that fails later is a new item.
    auto again = spawn(restarted, setup.task, "fail");
    EXPECT_TRUE(waitForItem(restarted, "failed", again));
}
