// Concurrent changes to different subtasks of one task never lose one.
#include "TestServer.h"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

using namespace maestro::test;

TEST(Concurrency, EightThreadsChangingEightSubtasksKeepAllChanges) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    auto parent = http.createTask(project, "parent");
    std::vector<std::string> subtasks;
    for (int i = 0; i < 8; ++i)
        subtasks.push_back(http.createSubtask(parent, "sub " + std::to_string(i)));

    constexpr int kRounds = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto client = server.client();
            for (int round = 1; round <= kRounds; ++round) {
                auto body = R"({"title":"sub )" + std::to_string(i) + " round " +
                            std::to_string(round) + R"("})";
                auto result =
                    client.patch("/api/tasks/" + parent + "/subtasks/" + subtasks[i], body);
                if (result.status != 200) ++failures;
            }
            auto done = client.patch("/api/tasks/" + parent + "/subtasks/" + subtasks[i],
                                     R"({"completed":true})");
            if (done.status != 200) ++failures;
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(failures, 0);

    auto list = http.get("/api/tasks/" + parent + "/subtasks").array();
    ASSERT_EQ(list->size(), 8u);
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto sub = list->getObject(static_cast<unsigned>(i));
        EXPECT_EQ(sub->getValue<std::string>("title"),
                  "sub " + std::to_string(i) + " round " + std::to_string(kRounds));
        EXPECT_TRUE(sub->getValue<bool>("completed"));
        EXPECT_EQ(sub->getValue<int>("version"), kRounds + 2); // created + rounds + completion
    }
    EXPECT_EQ(http.get("/api/tasks/" + parent).object()->getValue<int>("version"), 1);
}

TEST(Concurrency, RacingWritersWithIfMatchLetExactlyOneWin) {
    TestServer server;
    auto http = server.client();
    auto task = http.createTask(http.createProject());
    std::atomic<int> won{0}, refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto client = server.client();
            auto result = client.patch("/api/tasks/" + task,
                                       R"({"title":"writer )" + std::to_string(i) + R"("})",
                                       {{"If-Match", "1"}});
            (result.status == 200 ? won : refused)++;
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(won, 1);
    EXPECT_EQ(refused, 7);
    EXPECT_EQ(http.get("/api/tasks/" + task).object()->getValue<int>("version"), 2);
}

// GET /api/status reads the live sessions within its own read. Many at once must all be
// answered — on PostgreSQL too, whose pool of readers is bounded — and each blocked task shows
// what the task itself says.
TEST(Concurrency, ManyStatusRequestsAtOnceAreAllAnswered) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    auto parent = http.createTask(project, "parent");
    auto blocked = http.createSubtask(parent, R"(needs "quotes" and ünïcode)");
    auto patched = http.patch("/api/tasks/" + blocked,
                              R"({"status":"blocked","blockedReason":"waiting for a key"})");
    ASSERT_EQ(patched.status, 200) << patched.body;
    auto task = patched.object();

    auto status = http.get("/api/status?projectId=" + project).object();
    auto list = status->getArray("blocked");
    ASSERT_EQ(list->size(), 1u);
    auto shown = list->getObject(0);
    EXPECT_EQ(shown->getValue<std::string>("id"), blocked);
    EXPECT_EQ(shown->getValue<std::string>("projectId"), project);
    EXPECT_EQ(shown->getValue<std::string>("parentId"), parent);
    EXPECT_EQ(shown->getValue<std::string>("title"), R"(needs "quotes" and ünïcode)");
    EXPECT_EQ(shown->getValue<std::string>("blockedReason"), "waiting for a key");
    EXPECT_EQ(shown->getValue<std::int64_t>("updatedAt"),
              task->getValue<std::int64_t>("updatedAt"));

    constexpr int kThreads = 48, kRounds = 5;
    std::atomic<int> answered{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            auto client = server.client();
            for (int round = 0; round < kRounds; ++round)
                if (client.get("/api/status?projectId=" + project).status == 200) ++answered;
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(answered, kThreads * kRounds);
}
