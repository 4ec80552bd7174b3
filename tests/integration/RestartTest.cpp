// The store outlives the process: a restart keeps every row and continues seq.
#include "TestServer.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

using namespace maestro::test;

namespace {

std::int64_t lastSeq(HttpClient& http) {
    return std::stoll(http.get("/api/events?limit=1").header("X-Last-Seq"));
}

} // namespace

TEST(Restart, CleanRestartKeepsEveryRowAndContinuesSeq) {
    TempDir home;
    std::string project, task, subtask, taskBody, subtaskBody;
    std::int64_t seq = 0;
    {
        TestServer server(home.path(), {});
        auto http = server.client();
        project = http.createProject("Persistent");
        task = http.createTask(project, "survives");
        subtask = http.createSubtask(task, "so do I");
        http.patch("/api/tasks/" + task, R"({"status":"blocked","blockedReason":"waiting"})");
        taskBody = http.get("/api/tasks/" + task).body;
        subtaskBody = http.get("/api/tasks/" + task + "/subtasks/" + subtask).body;
        seq = lastSeq(http);
        int status = server.stop();
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << "SIGTERM must end the server cleanly";
    }
    TestServer server(home.path(), {});
    auto http = server.client();
    EXPECT_EQ(http.get("/api/tasks/" + task).body, taskBody);
    EXPECT_EQ(http.get("/api/tasks/" + task + "/subtasks/" + subtask).body, subtaskBody);
    EXPECT_EQ(http.get("/api/projects/" + project).status, 200);
    EXPECT_EQ(lastSeq(http), seq);

    // Unblocking announces the task and the attention inbox that no longer lists it.
    http.patch("/api/tasks/" + task, R"({"status":"in_progress"})");
    auto events = http.get("/api/events?since=" + std::to_string(seq)).array();
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ(events->getObject(0)->getValue<std::int64_t>("seq"), seq + 1);
    EXPECT_EQ(events->getObject(0)->getValue<std::string>("type"), "task:updated");
    EXPECT_EQ(events->getObject(1)->getValue<std::string>("type"), "attention:changed");
}

TEST(Restart, CrashKeepsEverythingThatWasAcknowledged) {
    TempDir home;
    std::vector<std::string> tasks;
    std::string project;
    {
        TestServer server(home.path(), {});
        auto http = server.client();
        project = http.createProject();
        for (int i = 0; i < 20; ++i)
            tasks.push_back(http.createTask(project, "t" + std::to_string(i)));
        server.kill(); // SIGKILL right after the last acknowledged write
    }
    TestServer server(home.path(), {});
    auto http = server.client();
    EXPECT_EQ(http.get("/api/tasks?projectId=" + project).header("X-Total-Count"), "20");
    for (const auto& id : tasks)
        EXPECT_EQ(http.get("/api/tasks/" + id).status, 200);
    auto events = http.get("/api/events").array();
    for (std::size_t i = 0; i < events->size(); ++i)
        EXPECT_EQ(events->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("seq"),
                  static_cast<std::int64_t>(i + 1));
}

TEST(Restart, ASecondServerCannotTakeAPortInUse) {
    TestServer first;
    TempDir otherHome;
    auto start = [&] { TestServer second(otherHome.path(), {{}, {}, first.port()}); };
    EXPECT_THROW(start(), std::runtime_error) << "two servers must never share a port";
    EXPECT_EQ(first.client().get("/health").status, 200);
}
