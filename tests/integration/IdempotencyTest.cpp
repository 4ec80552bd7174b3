// A POST with an Idempotency-Key is done once.
#include "TestServer.h"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

using namespace maestro::test;

TEST(Idempotency, RepeatReturnsTheFirstResponseAndCreatesNothing) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    auto body = R"({"projectId":")" + project + R"(","title":"once"})";
    auto first = http.post("/api/tasks", body, {{"Idempotency-Key", "key-1"}});
    ASSERT_EQ(first.status, 201);
    auto again = http.post("/api/tasks", body, {{"Idempotency-Key", "key-1"}});
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(http.get("/api/tasks?projectId=" + project).header("X-Total-Count"), "1");
}

TEST(Idempotency, SameKeyForADifferentRequestIsRefused) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    ASSERT_EQ(http.post("/api/tasks", R"({"projectId":")" + project + R"(","title":"a"})",
                        {{"Idempotency-Key", "k"}})
                  .status,
              201);
    auto reused = http.post("/api/tasks", R"({"projectId":")" + project + R"(","title":"b"})",
                            {{"Idempotency-Key", "k"}});
    EXPECT_EQ(reused.status, 422);
    EXPECT_EQ(reused.object()->getValue<std::string>("code"), "idempotency_key_reused");
}

TEST(Idempotency, FailedRequestCanBeRetriedWithTheSameKey) {
    TestServer server;
    auto http = server.client();
    auto failed = http.post("/api/projects", R"({})", {{"Idempotency-Key", "retry"}});
    EXPECT_EQ(failed.status, 400);
    auto fixed = http.post("/api/projects", R"({})", {{"Idempotency-Key", "retry"}});
    EXPECT_EQ(fixed.status, 400)
        << "the same bad body is still bad, not replayed as something else";
}

TEST(Idempotency, ConcurrentRepeatsCreateOnce) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    auto body = R"({"projectId":")" + project + R"(","title":"raced"})";
    std::vector<std::string> bodies(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            auto client = server.client();
            bodies[i] = client.post("/api/tasks", body, {{"Idempotency-Key", "race"}}).body;
        });
    for (auto& thread : threads)
        thread.join();
    for (const auto& b : bodies)
        EXPECT_EQ(b, bodies[0]);
    EXPECT_EQ(http.get("/api/tasks?projectId=" + project).header("X-Total-Count"), "1");
}

TEST(Idempotency, KeysSurviveARestart) {
    TestServer server;
    auto http = server.client();
    auto first = http.post("/api/projects", R"({"name":"kept"})", {{"Idempotency-Key", "persist"}});
    server.stop();
    server.start();
    auto again = server.client().post("/api/projects", R"({"name":"kept"})",
                                      {{"Idempotency-Key", "persist"}});
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(server.client().get("/api/projects").header("X-Total-Count"), "1");
}
