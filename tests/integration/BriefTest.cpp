// GET /api/tasks/:id/brief: the brief the server renders from the default skills — the one a
// spawned session gets, and what `maestro worker init` prints.
#include "SessionSupport.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace maestro::test;

namespace {

std::string fileText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string briefOf(const HttpResult& result) {
    return result.object()->getValue<std::string>("brief");
}

} // namespace

TEST(Brief, IsTheBriefTheSpawnedSessionWasGiven) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    http.createSubtask(setup.task, "Tokenizer");
    auto id = spawn(http, setup.task, "sleep");

    auto result = http.get("/api/tasks/" + setup.task + "/brief?role=worker&sessionId=" + id);
    ASSERT_EQ(result.status, 200) << result.body;
    auto written = fileText(s.sessionDir(id) / "brief.md");
    ASSERT_FALSE(written.empty());
    EXPECT_EQ(briefOf(result), written);
    auto body = result.object();
    EXPECT_EQ(body->getValue<std::string>("taskId"), setup.task);
    EXPECT_EQ(body->getValue<std::string>("sessionId"), id);
    EXPECT_EQ(body->getObject("context")->getObject("session")->getValue<std::string>("id"), id);
    http.post("/api/sessions/" + id + "/stop", "");
}

TEST(Brief, WithoutASessionTheRolesSkillsRenderIt) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    http.createSubtask(setup.task, "Tokenizer");

    auto worker = http.get("/api/tasks/" + setup.task + "/brief?role=worker");
    ASSERT_EQ(worker.status, 200) << worker.body;
    auto text = briefOf(worker);
    for (const std::string expected :
         {"# Your task: Port the parser", "Rewrite parser.c in C++20.", "Tokenizer"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n--- brief:\n" << text;
    EXPECT_TRUE(worker.object()->isNull("sessionId"));
    EXPECT_EQ(worker.object()->getObject("context")->getObject("task")->getValue<std::string>("id"),
              setup.task);

    auto orchestrator = http.get("/api/tasks/" + setup.task + "/brief?role=orchestrator");
    ASSERT_EQ(orchestrator.status, 200) << orchestrator.body;
    EXPECT_NE(briefOf(orchestrator).find("# Orchestrate: Port the parser"), std::string::npos)
        << briefOf(orchestrator);
}

TEST(Brief, RefusesABadRoleAnUnknownTaskAndAnUnknownSession) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto role = http.get("/api/tasks/" + setup.task + "/brief?role=boss");
    EXPECT_EQ(role.status, 400);
    EXPECT_EQ(role.object()->getValue<std::string>("code"), "invalid_query");
    auto task = http.get("/api/tasks/task_missing/brief?role=worker");
    EXPECT_EQ(task.status, 404);
    EXPECT_EQ(task.object()->getValue<std::string>("code"), "task_not_found");
    auto session = http.get("/api/tasks/" + setup.task + "/brief?role=worker&sessionId=sess_gone");
    EXPECT_EQ(session.status, 404);
    EXPECT_EQ(session.object()->getValue<std::string>("code"), "session_not_found");
}
