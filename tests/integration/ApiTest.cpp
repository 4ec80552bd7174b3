// Every route of the core API against the real server.
#include "TempDir.h"
#include "TestServer.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::test;

class ApiTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new TestServer(); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    void SetUp() override { client_ = std::make_unique<HttpClient>(server_->client()); }

    HttpClient& http() { return *client_; }
    static TestServer* server_;
    std::unique_ptr<HttpClient> client_;
};

TestServer* ApiTest::server_ = nullptr;

TEST_F(ApiTest, HealthReportsOk) {
    auto result = http().get("/health");
    ASSERT_EQ(result.status, 200);
    EXPECT_EQ(result.object()->getValue<std::string>("status"), "ok");
    EXPECT_GT(result.object()->getValue<std::int64_t>("timestamp"), 0);
}

TEST_F(ApiTest, ProjectLifecycle) {
    auto created = http().post("/api/projects",
                               R"({"name":"Alpha","workingDir":"/srv/alpha","description":"d"})");
    ASSERT_EQ(created.status, 201) << created.body;
    auto project = created.object();
    auto id = project->getValue<std::string>("id");
    EXPECT_TRUE(id.starts_with("proj_"));
    EXPECT_EQ(project->getValue<std::string>("workingDir"), "/srv/alpha");
    EXPECT_EQ(project->getValue<int>("version"), 1);

    auto fetched = http().get("/api/projects/" + id);
    ASSERT_EQ(fetched.status, 200);
    EXPECT_EQ(fetched.body, created.body);

    auto list = http().get("/api/projects");
    ASSERT_EQ(list.status, 200);
    EXPECT_GE(std::stoi(list.header("X-Total-Count")), 1);

    auto updated = http().put("/api/projects/" + id, R"({"name":"Alpha 2"})");
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(updated.object()->getValue<std::string>("name"), "Alpha 2");
    EXPECT_EQ(updated.object()->getValue<std::string>("description"), "d");
    EXPECT_EQ(updated.object()->getValue<int>("version"), 2);

    auto patched = http().patch("/api/projects/" + id, R"({"description":"new"})");
    EXPECT_EQ(patched.object()->getValue<int>("version"), 3);

    auto removed = http().del("/api/projects/" + id);
    ASSERT_EQ(removed.status, 200);
    EXPECT_TRUE(removed.object()->getValue<bool>("success"));
    EXPECT_EQ(http().get("/api/projects/" + id).status, 404);
}

TEST_F(ApiTest, ProjectWithTasksCannotBeDeleted) {
    auto project = http().createProject();
    auto task = http().createTask(project);
    auto refused = http().del("/api/projects/" + project);
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.object()->getValue<std::string>("code"), "project_has_dependencies");
    ASSERT_EQ(http().del("/api/tasks/" + task).status, 200);
    EXPECT_EQ(http().del("/api/projects/" + project).status, 200);
}

TEST_F(ApiTest, TaskLifecycleWithTimeline) {
    auto project = http().createProject();
    auto created = http().post(
        "/api/tasks",
        R"({"projectId":")" + project +
            R"(","title":"Ship it","description":"soon","priority":"high","initialPrompt":"go"})");
    ASSERT_EQ(created.status, 201) << created.body;
    auto task = created.object();
    auto id = task->getValue<std::string>("id");
    EXPECT_EQ(task->getValue<std::string>("status"), "todo");
    EXPECT_EQ(task->getValue<std::string>("priority"), "high");
    EXPECT_TRUE(task->get("parentId").isEmpty());
    EXPECT_TRUE(task->get("blockedReason").isEmpty());
    for (auto key : {"sessionIds", "skillIds", "agentIds", "dependencies", "timeline"})
        EXPECT_TRUE(task->isArray(key)) << key;

    auto started = http().patch("/api/tasks/" + id, R"({"status":"in_progress"})");
    ASSERT_EQ(started.status, 200);
    EXPECT_FALSE(started.object()->get("startedAt").isEmpty());
    EXPECT_EQ(started.object()->getValue<int>("version"), 2);

    auto noted = http().post("/api/tasks/" + id + "/timeline",
                             R"({"type":"milestone","message":"parser done"})");
    ASSERT_EQ(noted.status, 200) << noted.body;
    auto timeline = noted.object()->getArray("timeline");
    EXPECT_EQ(timeline->getObject(timeline->size() - 1)->getValue<std::string>("message"),
              "parser done");

    auto done = http().patch("/api/tasks/" + id, R"({"status":"completed"})");
    EXPECT_FALSE(done.object()->get("completedAt").isEmpty());
    EXPECT_EQ(http().get("/api/tasks/" + id).object()->getValue<std::string>("status"),
              "completed");

    ASSERT_EQ(http().del("/api/tasks/" + id).status, 200);
    auto gone = http().get("/api/tasks/" + id);
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(gone.object()->getValue<std::string>("code"), "task_not_found");
}

TEST_F(ApiTest, BlockTakesAnOptionalReasonAndUnblockClearsIt) {
    auto project = http().createProject();
    auto id = http().createTask(project);
    auto blank = http().patch("/api/tasks/" + id, R"({"status":"blocked","blockedReason":" "})");
    EXPECT_EQ(blank.status, 400);
    EXPECT_EQ(blank.object()->getValue<std::string>("code"), "blocked_reason_required");

    // The original API blocks without a reason; the timeline says none was given.
    auto bare = http().patch("/api/tasks/" + id, R"({"status":"blocked"})");
    ASSERT_EQ(bare.status, 200) << bare.body;
    EXPECT_TRUE(bare.object()->get("blockedReason").isEmpty());
    auto timeline = bare.object()->getArray("timeline");
    EXPECT_EQ(timeline->getObject(timeline->size() - 1)->getValue<std::string>("message"),
              "Blocked (no reason given)");

    auto blocked = http().patch("/api/tasks/" + id,
                                R"({"status":"blocked","blockedReason":"needs credentials"})");
    ASSERT_EQ(blocked.status, 200);
    EXPECT_EQ(blocked.object()->getValue<std::string>("blockedReason"), "needs credentials");

    auto status = http().get("/api/status?projectId=" + project).object();
    auto list = status->getArray("blocked");
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->getObject(0)->getValue<std::string>("blockedReason"), "needs credentials");

    auto unblocked = http().patch("/api/tasks/" + id, R"({"status":"in_progress"})");
    EXPECT_TRUE(unblocked.object()->get("blockedReason").isEmpty());
}

TEST_F(ApiTest, ListFiltersPagesAndCounts) {
    auto project = http().createProject();
    std::vector<std::string> ids;
    for (int i = 0; i < 7; ++i)
        ids.push_back(http().createTask(project, "t" + std::to_string(i)));
    http().patch("/api/tasks/" + ids[2], R"({"status":"in_progress"})");
    http().createSubtask(ids[0]);

    auto page = http().get("/api/tasks?projectId=" + project + "&parentId=null&limit=3&offset=2");
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.header("X-Total-Count"), "7");
    auto items = page.array();
    ASSERT_EQ(items->size(), 3u);
    EXPECT_EQ(items->getObject(0)->getValue<std::string>("id"), ids[2]);

    auto all = http().get("/api/tasks?projectId=" + project);
    EXPECT_EQ(all.header("X-Total-Count"), "8");
    auto inProgress = http().get("/api/tasks?projectId=" + project + "&status=in_progress");
    EXPECT_EQ(inProgress.header("X-Total-Count"), "1");
    auto children = http().get("/api/tasks?parentId=" + ids[0]);
    EXPECT_EQ(children.header("X-Total-Count"), "1");
    EXPECT_EQ(http().get("/api/tasks/" + ids[0] + "/children").array()->size(), 1u);
    EXPECT_EQ(http().get("/api/tasks?projectId=" + project + "&limit=5000").array()->size(), 8u);
}

TEST_F(ApiTest, SubtaskApi) {
    auto project = http().createProject();
    auto parent = http().createTask(project, "parent");
    auto created = http().post("/api/tasks/" + parent + "/subtasks",
                               R"({"title":"step 1","description":"first"})");
    ASSERT_EQ(created.status, 201) << created.body;
    auto sub = created.object();
    auto a = sub->getValue<std::string>("id");
    EXPECT_EQ(sub->getValue<std::string>("taskId"), parent);
    EXPECT_EQ(sub->getValue<std::string>("parentId"), parent);
    EXPECT_EQ(sub->getValue<std::string>("projectId"), project);
    EXPECT_FALSE(sub->getValue<bool>("completed"));
    auto b = http().createSubtask(parent, "step 2");
    auto c = http().createSubtask(parent, "step 3");

    auto checked = http().patch("/api/tasks/" + parent + "/subtasks/" + b, R"({"completed":true})");
    ASSERT_EQ(checked.status, 200);
    EXPECT_TRUE(checked.object()->getValue<bool>("completed"));
    EXPECT_EQ(checked.object()->getValue<std::string>("status"), "completed");

    auto got = http().get("/api/tasks/" + parent + "/subtasks/" + b);
    EXPECT_TRUE(got.object()->getValue<bool>("completed"));
    EXPECT_EQ(http().get("/api/tasks/" + parent).object()->getValue<int>("version"), 1)
        << "changing a subtask must not rewrite its parent";

    auto reordered = http().post("/api/tasks/" + parent + "/subtasks/reorder",
                                 R"({"order":[")" + c + R"(",")" + a + R"(",")" + b + R"("]})");
    ASSERT_EQ(reordered.status, 200) << reordered.body;
    auto list = http().get("/api/tasks/" + parent + "/subtasks").array();
    ASSERT_EQ(list->size(), 3u);
    EXPECT_EQ(list->getObject(0)->getValue<std::string>("id"), c);
    EXPECT_EQ(list->getObject(1)->getValue<std::string>("id"), a);
    EXPECT_EQ(list->getObject(2)->getValue<int>("order"), 2);

    auto badOrder =
        http().post("/api/tasks/" + parent + "/subtasks/reorder", R"({"order":[")" + c + R"("]})");
    EXPECT_EQ(badOrder.status, 400);

    auto other = http().createTask(project, "other");
    EXPECT_EQ(http().get("/api/tasks/" + other + "/subtasks/" + a).status, 404)
        << "a subtask is only reachable under its own parent";

    ASSERT_EQ(http().del("/api/tasks/" + parent + "/subtasks/" + a).status, 200);
    EXPECT_EQ(http().get("/api/tasks/" + parent + "/subtasks").header("X-Total-Count"), "2");
    ASSERT_EQ(http().del("/api/tasks/" + parent).status, 200);
    EXPECT_EQ(http().get("/api/tasks/" + b).status, 404) << "deleting a task deletes its subtasks";
}

TEST_F(ApiTest, StaleIfMatchGets412WithTheCurrentResource) {
    auto project = http().createProject();
    auto id = http().createTask(project);
    ASSERT_EQ(http().patch("/api/tasks/" + id, R"({"title":"v2"})", {{"If-Match", "1"}}).status,
              200);
    auto stale = http().patch("/api/tasks/" + id, R"({"title":"lost"})", {{"If-Match", "1"}});
    ASSERT_EQ(stale.status, 412);
    auto error = stale.object();
    EXPECT_EQ(error->getValue<std::string>("code"), "version_mismatch");
    auto current = error->getObject("details")->getObject("current");
    EXPECT_EQ(current->getValue<std::string>("title"), "v2");
    EXPECT_EQ(current->getValue<int>("version"), 2);
    EXPECT_EQ(http().del("/api/tasks/" + id, {{"If-Match", "\"1\""}}).status, 412);
    EXPECT_EQ(http().del("/api/tasks/" + id, {{"If-Match", "\"2\""}}).status, 200);
}

TEST_F(ApiTest, DependenciesMustBeTasksOfTheSameProject) {
    auto project = http().createProject();
    auto a = http().createTask(project, "a");
    auto b = http().post("/api/tasks", R"({"projectId":")" + project +
                                           R"(","title":"b","dependencies":[")" + a + R"("]})");
    ASSERT_EQ(b.status, 201);
    auto bad = http().post("/api/tasks", R"({"projectId":")" + project +
                                             R"(","title":"c","dependencies":["task_nope"]})");
    EXPECT_EQ(bad.status, 400);
    auto bId = b.object()->getValue<std::string>("id");
    ASSERT_EQ(http().del("/api/tasks/" + a).status, 200);
    EXPECT_EQ(http().get("/api/tasks/" + bId).object()->getArray("dependencies")->size(), 0u)
        << "a deleted dependency is dropped from its dependents";
}

TEST_F(ApiTest, StatusCountsAndRecentEvents) {
    auto project = http().createProject();
    auto a = http().createTask(project, "a");
    http().createTask(project, "b");
    http().patch("/api/tasks/" + a, R"({"status":"completed"})");
    auto status = http().get("/api/status?projectId=" + project).object();
    auto counts = status->getObject("counts");
    EXPECT_EQ(counts->getValue<int>("todo"), 1);
    EXPECT_EQ(counts->getValue<int>("completed"), 1);
    EXPECT_EQ(counts->getValue<int>("total"), 2);
    EXPECT_TRUE(status->isArray("sessions"));
    auto recent = status->getArray("recentEvents");
    ASSERT_GE(recent->size(), 3u);
    EXPECT_EQ(recent->getObject(recent->size() - 1)->getValue<std::string>("type"), "task:updated");
    EXPECT_EQ(http().get("/api/status?projectId=proj_missing").status, 404);
}

TEST_F(ApiTest, EventLogListsWhatHappenedInOrder) {
    auto first = http().get("/api/events?limit=1");
    auto lastSeq = std::stoll(first.header("X-Last-Seq"));
    auto project = http().createProject();
    http().createTask(project);
    auto events = http().get("/api/events?since=" + std::to_string(lastSeq)).array();
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ(events->getObject(0)->getValue<std::string>("type"), "project:created");
    EXPECT_EQ(events->getObject(0)->getValue<std::string>("event"), "project:created");
    EXPECT_EQ(events->getObject(0)->getValue<std::int64_t>("seq"), lastSeq + 1);
    EXPECT_EQ(events->getObject(1)->getValue<std::int64_t>("seq"), lastSeq + 2);
    EXPECT_EQ(events->getObject(1)->getObject("data")->getValue<std::string>("projectId"), project);
}

TEST_F(ApiTest, WrongMethodIs405WithAllow) {
    auto result = http().request("PUT", "/api/tasks", "{}");
    EXPECT_EQ(result.status, 405);
    EXPECT_EQ(result.header("Allow"), "GET, POST");
    EXPECT_EQ(result.object()->getValue<std::string>("code"), "method_not_allowed");
}

TEST(StaticFilesTest, HeadSendsTheHeadAloneAndTheConnectionStaysUsable) {
    TempDir home;
    const auto web = home.path() / "web";
    std::filesystem::create_directories(web);
    const std::string page = "<!doctype html><title>Maestro</title>";
    std::ofstream(web / "index.html") << page;
    std::ofstream(home.path() / "config.json") << R"({"webRoot":")" << web.string() << R"("})";
    TestServer server(home.path(), {});
    auto http = server.client();

    auto head = http.request("HEAD", "/");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Length"), std::to_string(page.size()));
    EXPECT_TRUE(head.body.empty());
    // Body bytes after a HEAD's head would be read as the next response on this connection.
    auto get = http.get("/");
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.body, page);
    EXPECT_EQ(http.get("/health").object()->getValue<std::string>("status"), "ok");
}
