// GET /api/tasks/:id is answered from memory on the HTTP loop when it can (JsonCache): such a
// read must never be older than a write that was answered before it was sent.
#include "TestServer.h"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

using namespace maestro::test;

TEST(HotReads, AReadIsNeverOlderThanAWriteAnsweredBeforeIt) {
    TestServer server;
    auto setup = server.client();
    auto task = setup.createTask(setup.createProject());
    std::atomic<std::int64_t> acknowledged{1}; // the version of the last answered write
    std::atomic<bool> done{false};

    std::thread writer([&] {
        try {
            auto http = server.client();
            for (int i = 0; i < 200; ++i) {
                auto result = http.patch("/api/tasks/" + task,
                                         R"({"title":"v)" + std::to_string(i) + R"("})");
                if (result.status != 200) {
                    ADD_FAILURE() << result.body;
                    break;
                }
                acknowledged = result.object()->getValue<std::int64_t>("version");
            }
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what();
        }
        done = true;
    });
    auto http = server.client();
    for (int reads = 0; !done; ++reads) {
        auto floor = acknowledged.load();
        auto result = http.get("/api/tasks/" + task);
        if (result.status != 200) {
            ADD_FAILURE() << result.body;
            break;
        }
        EXPECT_GE(result.object()->getValue<std::int64_t>("version"), floor) << "read " << reads;
    }
    writer.join();
    EXPECT_EQ(http.get("/api/tasks/" + task).object()->getValue<std::string>("title"), "v199");

    ASSERT_EQ(setup.del("/api/tasks/" + task).status, 200);
    EXPECT_EQ(http.get("/api/tasks/" + task).status, 404) << "a deleted task is not served";
}
