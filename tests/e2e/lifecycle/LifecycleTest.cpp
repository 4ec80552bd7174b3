// An orchestrator session splits its task into two subtasks and spawns a worker on each with
// `maestro session spawn`; each worker runs `maestro worker init` and completes its subtask;
// the orchestrator follows the events and completes the parent (tests/fixtures/agents).
#include "TestServer.h"

#include <fstream>
#include <gtest/gtest.h>
#include <map>

using namespace maestro::test;
using Poco::JSON::Object;

namespace {

namespace fs = std::filesystem;

std::string str(const Object::Ptr& object, const std::string& key) {
    return object->getValue<std::string>(key);
}

} // namespace

TEST(Lifecycle, OrchestratorSplitsSpawnsFollowsAndCompletes) {
    TempDir home;
    std::string agents = MAESTRO_AGENTS_DIR;
    std::ofstream(home.path() / "config.json")
        << R"({"agents":{"orchestrator":{"command":")" << agents
        << R"(/orchestrator.sh"},"worker":{"command":")" << agents << R"(/worker.sh"}}})";
    fs::create_directories(home.path() / "work");
    TestServer server(home.path(), {{}, {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}}});
    auto http = server.client();

    auto project = str(http.post("/api/projects", R"({"name":"Lifecycle","workingDir":")" +
                                                      (home.path() / "work").string() + R"("})")
                           .object(),
                       "id");
    auto parent =
        str(http.post("/api/tasks",
                      R"({"projectId":")" + project +
                          R"(","title":"Ship the parser","description":"Parser and its tests"})")
                .object(),
            "id");
    auto spawned =
        http.post("/api/sessions/spawn",
                  R"({"taskId":")" + parent + R"(","role":"orchestrator","agent":"orchestrator"})");
    ASSERT_EQ(spawned.status, 201) << spawned.body;
    auto orchestrator = str(spawned.object(), "sessionId");

    bool finished = waitUntil(
        [&] { return str(http.get("/api/tasks/" + parent).object(), "status") == "completed"; },
        std::chrono::seconds(60));
    auto transcript = [&](const std::string& id) {
        return str(http.get("/api/sessions/" + id + "/output").object(), "data");
    };
    ASSERT_TRUE(finished) << "orchestrator output:\n" << transcript(orchestrator);

    // Final states: the parent and both subtasks completed, three sessions that all ended well.
    auto subtasks = http.get("/api/tasks/" + parent + "/subtasks").array();
    ASSERT_EQ(subtasks->size(), 2u);
    std::vector<std::string> subtaskIds;
    for (std::size_t i = 0; i < 2; ++i) {
        auto subtask = subtasks->getObject(static_cast<unsigned>(i));
        EXPECT_TRUE(subtask->getValue<bool>("completed")) << str(subtask, "title");
        EXPECT_FALSE(subtask->get("startedAt").isEmpty())
            << "worker init marks the subtask in progress";
        subtaskIds.push_back(str(subtask, "id"));
    }
    EXPECT_EQ(str(subtasks->getObject(0), "title"), "Write the parser");

    ASSERT_TRUE(waitUntil([&] {
        auto sessions = http.get("/api/sessions?projectId=" + project).array();
        if (sessions->size() != 3) return false;
        for (std::size_t i = 0; i < sessions->size(); ++i)
            if (str(sessions->getObject(static_cast<unsigned>(i)), "status") != "completed")
                return false;
        return true;
    })) << http.get("/api/sessions?projectId=" + project).body;
    auto sessions = http.get("/api/sessions?projectId=" + project).array();
    std::map<std::string, std::string> workerOf; // subtask → worker session
    for (std::size_t i = 0; i < sessions->size(); ++i) {
        auto session = sessions->getObject(static_cast<unsigned>(i));
        EXPECT_EQ(session->getValue<int>("exitCode"), 0) << transcript(str(session, "id"));
        if (str(session, "id") == orchestrator) {
            EXPECT_EQ(str(session, "role"), "orchestrator");
            continue;
        }
        EXPECT_EQ(str(session, "role"), "worker");
        EXPECT_EQ(str(session, "parentSessionId"), orchestrator)
            << "spawned from inside the orchestrator";
        workerOf[session->getArray("taskIds")->getElement<std::string>(0)] = str(session, "id");
    }
    ASSERT_EQ(workerOf.size(), 2u);
    for (const auto& id : subtaskIds)
        EXPECT_TRUE(workerOf.count(id)) << "one worker per subtask";
    EXPECT_NE(transcript(orchestrator).find("orchestrator finished"), std::string::npos);

    // Event order: subtasks created → workers spawned → each worker starts then completes its
    // subtask → the parent completes after both → the orchestrator exits last.
    auto events = http.get("/api/events").array();
    std::map<std::string, std::int64_t> first; // "<what>" → seq of its first occurrence
    auto note = [&first](const std::string& what, std::int64_t seq) { first.emplace(what, seq); };
    for (std::size_t i = 0; i < events->size(); ++i) {
        auto event = events->getObject(static_cast<unsigned>(i));
        auto type = str(event, "type");
        auto seq = event->getValue<std::int64_t>("seq");
        auto data = event->getObject("data");
        if (type == "subtask:created")
            note("created " + str(data->getObject("subtask"), "id"), seq);
        if (type == "session:spawn_request")
            note("spawn " + str(data->getObject("session"), "id"), seq);
        if (type == "session:exited") note("exited " + str(data, "id"), seq);
        if (type == "task:updated") {
            auto status = str(data, "status");
            note(status + " " + str(data, "id"), seq);
        }
    }
    for (const auto& id : subtaskIds) {
        const auto& worker = workerOf[id];
        EXPECT_LT(first["created " + id], first["spawn " + worker]);
        EXPECT_LT(first["spawn " + worker], first["in_progress " + id]);
        EXPECT_LT(first["in_progress " + id], first["completed " + id]);
        EXPECT_LT(first["completed " + id], first["completed " + parent]);
        EXPECT_LT(first["completed " + id], first["exited " + worker]);
    }
    EXPECT_LT(first["spawn " + orchestrator], first["in_progress " + parent]);
    EXPECT_LT(first["completed " + parent], first["exited " + orchestrator]);
    for (const auto& [what, seq] : first)
        EXPECT_GT(seq, 0) << what;
}
