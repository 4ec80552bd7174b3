// The original Maestro CLI (TypeScript, maestro-cli/src) against this server: each test makes
// exactly the requests one of its commands makes, with the bodies it sends, in the same order,
// and checks what that command reads from the answers and the exit code it would end with
// (its handleError: 2xx → 0, 404 → 2, 403 → 4, any other status → 1). Session-sourced commands
// run with MAESTRO_SESSION_ID set, as in an agent's terminal.
#include "TestServer.h"
#include "WsClient.h"

#include <fstream>
#include <gtest/gtest.h>

using maestro::test::HttpClient;
using maestro::test::HttpResult;
using maestro::test::quote;
using maestro::test::TempDir;
using maestro::test::TestServer;
using maestro::test::WsClient;

namespace {

// The exit code the original CLI ends with after this answer (utils/errors.ts).
int originalExitCode(const HttpResult& answer) {
    if (answer.status >= 200 && answer.status < 300) return 0;
    if (answer.status == 404) return 2;
    if (answer.status == 403) return 4;
    return 1;
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    return object->optValue<std::string>(key, "");
}

// A server with the default skills and an agent that idles, so spawns succeed without Claude.
class CompatTest : public ::testing::Test {
protected:
    static TestServer::Options options(const std::filesystem::path& home,
                                       const std::string& spawner = "server") {
        std::ofstream(home / "config.json")
            << R"({"defaultAgent":"idle","spawner":")" << spawner
            << R"(","agents":{"idle":{"command":"/bin/sh","args":["-c","sleep 60"]}}})";
        return {{}, {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}}};
    }

    void SetUp() override {
        server_ = std::make_unique<TestServer>(home_.path(), options(home_.path()));
        http_ = std::make_unique<HttpClient>(server_->client());
        project_ = createProject();
        task_ = createTask("Write the parser");
    }

    HttpClient& http() { return *http_; }

    // maestro project create NAME --dir DIR --desc TEXT
    std::string createProject() {
        auto created = http().post("/api/projects", R"({"name":"Compiler","workingDir":)" +
                                                        quote(home_.path().string()) + "}");
        EXPECT_EQ(originalExitCode(created), 0) << created.body;
        return text(created.object(), "id");
    }

    // maestro task create TITLE [--parent P]: description '' and priority medium by default;
    // parentId is left out when not given (JSON.stringify drops undefined).
    std::string createTask(const std::string& title, const std::string& parent = {}) {
        std::string body = R"({"projectId":)" + quote(project_) + R"(,"title":)" + quote(title) +
                           R"(,"description":"","priority":"medium")";
        if (!parent.empty()) body += R"(,"parentId":)" + quote(parent);
        auto created = http().post("/api/tasks", body + "}");
        EXPECT_EQ(originalExitCode(created), 0) << created.body;
        return text(created.object(), "id");
    }

    // An agent's own session, as `maestro session register` creates it when the spawn did not.
    std::string registerSession(const std::string& id) {
        EXPECT_EQ(originalExitCode(http().get("/api/sessions/" + id)), 2);
        auto created = http().post(
            "/api/sessions",
            R"({"id":)" + quote(id) + R"(,"projectId":)" + quote(project_) + R"(,"taskIds":[)" +
                quote(task_) + R"(],"name":"worker: )" + id +
                R"(","status":"running","strategy":"simple","metadata":{"role":"worker"}})");
        EXPECT_EQ(originalExitCode(created), 0) << created.body;
        return id;
    }

    Poco::JSON::Object::Ptr task(const std::string& id) {
        return http().get("/api/tasks/" + id).object();
    }

    TempDir home_;
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> http_;
    std::string project_;
    std::string task_;
};

TEST_F(CompatTest, ProjectCommandsReadWhatTheyPrint) {
    auto list = http().get("/api/projects");
    ASSERT_EQ(originalExitCode(list), 0);
    auto first = list.array()->getObject(0);
    EXPECT_EQ(text(first, "id"), project_);
    EXPECT_EQ(text(first, "name"), "Compiler");
    EXPECT_EQ(text(first, "workingDir"), home_.path().string());

    auto get = http().get("/api/projects/" + project_);
    EXPECT_EQ(originalExitCode(get), 0);
    EXPECT_EQ(text(get.object(), "name"), "Compiler");
    EXPECT_EQ(originalExitCode(http().get("/api/projects/proj_missing")), 2);

    auto empty = http().post("/api/projects", R"({"name":"Scratch","workingDir":"/tmp"})");
    auto removed = http().del("/api/projects/" + text(empty.object(), "id"));
    EXPECT_EQ(originalExitCode(removed), 0);
    EXPECT_EQ(originalExitCode(http().del("/api/projects/proj_missing")), 2);
}

TEST_F(CompatTest, TaskListGetChildrenAndTreeReadTasks) {
    auto child = createTask("Lexer", task_);
    // task list: GET /api/tasks?projectId=, filtered by the CLI.
    auto list = http().get("/api/tasks?projectId=" + project_);
    ASSERT_EQ(originalExitCode(list), 0);
    EXPECT_EQ(list.array()->size(), 2u);
    // task list TASK / task children / task tree: the task, then its children.
    EXPECT_EQ(text(task(task_), "title"), "Write the parser");
    auto children = http().get("/api/tasks/" + task_ + "/children");
    ASSERT_EQ(originalExitCode(children), 0);
    ASSERT_EQ(children.array()->size(), 1u);
    EXPECT_EQ(text(children.array()->getObject(0), "id"), child);
    EXPECT_EQ(text(children.array()->getObject(0), "parentId"), task_);
    EXPECT_EQ(originalExitCode(http().get("/api/tasks/task_missing")), 2);
}

TEST_F(CompatTest, TaskUpdateAndCompleteFromASessionNoteTheChangeOnItsTimeline) {
    auto session = registerSession("session-1796000000000-0a1b2c3d");
    // task update ID --status in_progress --priority high
    auto updated =
        http().patch("/api/tasks/" + task_, R"({"status":"in_progress","priority":"high"})");
    EXPECT_EQ(originalExitCode(updated), 0);
    auto noted = http().post(
        "/api/sessions/" + session + "/timeline",
        R"({"type":"task_status_changed","message":"Status changed to in_progress","taskId":)" +
            quote(task_) + "}");
    EXPECT_EQ(originalExitCode(noted), 0) << noted.body;
    // task complete ID
    auto completed = http().patch("/api/tasks/" + task_, R"({"status":"completed"})");
    EXPECT_EQ(originalExitCode(completed), 0);
    EXPECT_EQ(text(completed.object(), "status"), "completed");

    auto timeline = http().get("/api/sessions/" + session).object()->getArray("timeline");
    auto last = timeline->getObject(timeline->size() - 1);
    EXPECT_EQ(text(last, "type"), "task_status_changed");
    EXPECT_EQ(text(last, "taskId"), task_);
}

TEST_F(CompatTest, TaskBlockSendsNoReasonAndTheSessionTimelineCarriesIt) {
    auto session = registerSession("sess_blocker");
    // task block ID --reason R: the PATCH has no reason...
    auto blocked = http().patch("/api/tasks/" + task_, R"({"status":"blocked"})");
    ASSERT_EQ(originalExitCode(blocked), 0) << blocked.body;
    EXPECT_EQ(text(blocked.object(), "status"), "blocked");
    EXPECT_TRUE(blocked.object()->isNull("blockedReason"));
    // ...the reason travels on the session's timeline, and reaches the task's.
    auto noted = http().post(
        "/api/sessions/" + session + "/timeline",
        R"({"type":"task_status_changed","message":"Status changed to blocked: waiting for the grammar","taskId":)" +
            quote(task_) + "}");
    EXPECT_EQ(originalExitCode(noted), 0);
    auto timeline = task(task_)->getArray("timeline");
    auto last = timeline->getObject(timeline->size() - 1);
    EXPECT_EQ(text(last, "message"), "Status changed to blocked: waiting for the grammar");
    EXPECT_EQ(text(last, "sessionId"), session);

    // task update ID --status blocked: the same PATCH.
    auto again = http().patch("/api/tasks/" + createTask("Other"), R"({"status":"blocked"})");
    EXPECT_EQ(originalExitCode(again), 0);
}

TEST_F(CompatTest, WorkerInitSetsSessionStatusAndAnnouncesIt) {
    WsClient events(server_->port());
    auto session = registerSession("sess_worker");
    // worker init / orchestrator init, for each task of the manifest.
    auto working =
        http().patch("/api/tasks/" + task_,
                     R"({"sessionStatus":"working","updateSource":"session","sessionId":)" +
                         quote(session) + "}");
    ASSERT_EQ(originalExitCode(working), 0) << working.body;
    EXPECT_EQ(text(working.object(), "sessionStatus"), "working");
    EXPECT_EQ(text(working.object(), "status"), "todo") << "the user's status is not the session's";
    // task get: prints Session Status when set.
    EXPECT_EQ(text(task(task_), "sessionStatus"), "working");

    auto announced = events.receiveUntil([&](const Poco::JSON::Object::Ptr& message) {
        auto data = message->getObject("data");
        return text(message, "event") == "task:updated" && data &&
               text(data, "sessionStatus") == "working";
    });
    EXPECT_TRUE(announced) << "task:updated carries sessionStatus";
    // registerSession linked the session to the task before this: the log has the link.
    WsClient replay(server_->port());
    replay.send(R"({"type":"subscribe","since":0})");
    auto added = replay.receiveUntil([&](const Poco::JSON::Object::Ptr& message) {
        return text(message, "type") == "task:session_added";
    });
    ASSERT_TRUE(added);
    EXPECT_EQ(text((*added)->getObject("data"), "taskId"), task_);
    EXPECT_EQ(text((*added)->getObject("data"), "sessionId"), session);
}

TEST_F(CompatTest, ReportCommandsWithATaskSetSessionStatusAndPostToTheSessionTimeline) {
    auto session = registerSession("sess_reporter");
    const std::pair<const char*, std::pair<const char*, const char*>> reports[] = {
        {"progress", {"working", "progress"}},
        {"complete", {"completed", "task_completed"}},
        {"blocked", {"blocked", "task_blocked"}},
        {"error", {"failed", "error"}},
        {"needs-input", {"needs_input", "needs_input"}},
    };
    for (const auto& [command, sent] : reports) {
        const auto& [sessionStatus, timelineType] = sent;
        SCOPED_TRACE(command);
        auto patched =
            http().patch("/api/tasks/" + task_,
                         R"({"sessionStatus":")" + std::string(sessionStatus) +
                             R"(","updateSource":"session","sessionId":)" + quote(session) + "}");
        EXPECT_EQ(originalExitCode(patched), 0) << patched.body;
        auto posted =
            http().post("/api/sessions/" + session + "/timeline",
                        R"({"type":")" + std::string(timelineType) + R"(","message":"report )" +
                            command + R"(","taskId":)" + quote(task_) + "}");
        EXPECT_EQ(originalExitCode(posted), 0) << posted.body;
        EXPECT_EQ(text(task(task_), "sessionStatus"), sessionStatus);
        auto timeline = posted.object()->getArray("timeline");
        auto last = timeline->getObject(timeline->size() - 1);
        EXPECT_EQ(text(last, "type"), timelineType);
        EXPECT_EQ(text(last, "message"), std::string("report ") + command);
    }
    EXPECT_EQ(text(task(task_), "status"), "todo") << "reports never change the user's status";
}

TEST_F(CompatTest, ReportCompleteWithoutATaskCompletesTheSession) {
    auto session = registerSession("sess_finisher");
    auto posted = http().post("/api/sessions/" + session + "/timeline",
                              R"({"type":"task_completed","message":"All done"})");
    EXPECT_EQ(originalExitCode(posted), 0) << posted.body;
    auto completed = http().patch("/api/sessions/" + session, R"({"status":"completed"})");
    EXPECT_EQ(originalExitCode(completed), 0);
    EXPECT_EQ(text(completed.object(), "status"), "completed");

    // Without a session the original CLI stops before any request; a session it names that does
    // not exist is a 404, exit 2.
    EXPECT_EQ(originalExitCode(http().post("/api/sessions/sess_missing/timeline",
                                           R"({"type":"progress","message":"x"})")),
              2);
    // An unknown timeline type is refused here (the original stored anything).
    EXPECT_EQ(originalExitCode(http().post("/api/sessions/" + session + "/timeline",
                                           R"({"type":"dancing","message":"x"})")),
              1);
}

TEST_F(CompatTest, SessionRegisterUpdatesAnExistingSessionAndCompleteEndsIt) {
    auto session = registerSession("sess_hooked");
    // session register, second time: the session exists → PATCH running.
    EXPECT_EQ(originalExitCode(http().get("/api/sessions/" + session)), 0);
    auto running = http().patch("/api/sessions/" + session, R"({"status":"running"})");
    EXPECT_EQ(originalExitCode(running), 0);
    // session complete (SessionEnd hook).
    auto done = http().patch("/api/sessions/" + session,
                             R"({"status":"completed","completedAt":1796000000000})");
    EXPECT_EQ(originalExitCode(done), 0);
    EXPECT_EQ(text(done.object(), "status"), "completed");
    // session info / session list --task
    auto info = http().get("/api/sessions/" + session).object();
    EXPECT_EQ(text(info, "name"), "worker: " + session);
    auto list = http().get("/api/sessions?taskId=" + task_ + "&projectId=" + project_);
    ASSERT_EQ(originalExitCode(list), 0);
    ASSERT_EQ(list.array()->size(), 1u);
    EXPECT_EQ(list.array()->getObject(0)->getArray("taskIds")->size(), 1u);
}

TEST_F(CompatTest, TrackFileRecordsASessionEvent) {
    auto session = registerSession("sess_editor");
    auto tracked = http().post(
        "/api/sessions/" + session + "/events",
        R"({"type":"file_modified","data":{"file":"src/parser.ts","timestamp":"2026-11-30T10:00:00.000Z"}})");
    ASSERT_EQ(originalExitCode(tracked), 0) << tracked.body;
    auto events = http().get("/api/sessions/" + session).object()->getArray("events");
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ(text(events->getObject(0), "type"), "file_modified");
    EXPECT_EQ(text(events->getObject(0)->getObject("data"), "file"), "src/parser.ts");
}

TEST_F(CompatTest, StatusReadsTasksAndSessionsOfTheProject) {
    registerSession("sess_status");
    auto tasks = http().get("/api/tasks?projectId=" + project_);
    auto sessions = http().get("/api/sessions?projectId=" + project_);
    ASSERT_EQ(originalExitCode(tasks), 0);
    ASSERT_EQ(originalExitCode(sessions), 0);
    EXPECT_EQ(text(tasks.array()->getObject(0), "priority"), "medium");
    EXPECT_EQ(text(sessions.array()->getObject(0), "status"), "running");
}

TEST_F(CompatTest, SessionSpawnFromASessionKeepsItsParentSkillsAndContext) {
    WsClient events(server_->port());
    auto parent = registerSession("sess_orchestrator");
    // session spawn --task T --skill maestro-worker --reason R
    EXPECT_EQ(originalExitCode(http().get("/api/tasks/" + task_)), 0);
    auto spawned = http().post(
        "/api/sessions/spawn",
        R"({"projectId":)" + quote(project_) + R"(,"taskIds":[)" + quote(task_) +
            R"(],"role":"worker","spawnSource":"session","sessionId":)" + quote(parent) +
            R"(,"skills":["maestro-worker"],"sessionName":"Worker: Write the parser",)"
            R"("context":{"primaryTask":{"id":)" +
            quote(task_) + R"(},"reason":"Execute task: Write the parser"}})");
    ASSERT_EQ(originalExitCode(spawned), 0) << spawned.body;
    auto sessionId = text(spawned.object(), "sessionId");
    ASSERT_FALSE(sessionId.empty());

    auto child = http().get("/api/sessions/" + sessionId).object();
    EXPECT_EQ(text(child, "parentSessionId"), parent);
    EXPECT_EQ(text(child, "name"), "Worker: Write the parser");
    auto metadata = child->getObject("metadata");
    EXPECT_EQ(text(metadata, "spawnSource"), "session");
    EXPECT_EQ(text(metadata->getObject("context"), "reason"), "Execute task: Write the parser");
    auto skills = metadata->getArray("skills");
    bool hasWorker = false;
    for (std::size_t i = 0; i < skills->size(); ++i)
        hasWorker = hasWorker ||
                    skills->getElement<std::string>(static_cast<unsigned>(i)) == "maestro-worker";
    EXPECT_TRUE(hasWorker);

    auto added = events.receiveUntil([&](const Poco::JSON::Object::Ptr& message) {
        auto data = message->getObject("data");
        return text(message, "event") == "task:session_added" && data &&
               text(data, "sessionId") == sessionId;
    });
    ASSERT_TRUE(added);
    EXPECT_EQ(text((*added)->getObject("data"), "taskId"), task_);
    ASSERT_EQ(http().post("/api/sessions/" + sessionId + "/stop", "{}").status, 200);
}

TEST_F(CompatTest, SessionSpawnRefusesWhatTheOriginalRefuses) {
    const std::string base = R"({"projectId":)" + quote(project_) + R"(,"taskIds":[)" +
                             quote(task_) + R"(],"role":"worker")";
    // Outside a session the original CLI sends spawnSource session without a sessionId.
    auto orphan = http().post("/api/sessions/spawn", base + R"(,"spawnSource":"session"})");
    EXPECT_EQ(orphan.status, 400);
    EXPECT_EQ(text(orphan.object(), "code"), "missing_session_id");
    EXPECT_EQ(originalExitCode(orphan), 1);
    auto unknownParent = http().post(
        "/api/sessions/spawn", base + R"(,"spawnSource":"session","sessionId":"sess_missing"})");
    EXPECT_EQ(originalExitCode(unknownParent), 2);
    auto badSource = http().post("/api/sessions/spawn", base + R"(,"spawnSource":"cron"})");
    EXPECT_EQ(originalExitCode(badSource), 1);
    auto noSkill = http().post("/api/sessions/spawn", base + R"(,"skills":["no-such-skill"]})");
    EXPECT_EQ(text(noSkill.object(), "code"), "unknown_skill");
    EXPECT_EQ(http().get("/api/sessions?projectId=" + project_).array()->size(), 0u)
        << "a refused spawn leaves no session";
}

TEST_F(CompatTest, ValuesOutsideTheOriginalTypesAreRefused) {
    // The original stored any priority or session status; these are refused with 400 (exit 1).
    EXPECT_EQ(
        originalExitCode(http().post("/api/tasks", R"({"projectId":)" + quote(project_) +
                                                       R"(,"title":"x","priority":"urgent"})")),
        1);
    EXPECT_EQ(
        originalExitCode(http().patch("/api/tasks/" + task_, R"({"sessionStatus":"asleep"})")), 1);
    // A session update may change only sessionStatus (the original dropped the rest silently).
    auto mixed = http().patch(
        "/api/tasks/" + task_,
        R"({"sessionStatus":"working","updateSource":"session","status":"completed"})");
    EXPECT_EQ(mixed.status, 400);
    EXPECT_EQ(text(task(task_), "status"), "todo");
}

TEST_F(CompatTest, QueueCommandsWorkAQueueSessionOneTaskAtATime) {
    auto second = createTask("Write the lexer");
    // The original UI spawns a queue worker with strategy queue.
    auto spawned =
        http().post("/api/sessions/spawn",
                    R"({"projectId":)" + quote(project_) + R"(,"taskIds":[)" + quote(task_) + "," +
                        quote(second) + R"(],"role":"worker","strategy":"queue"})");
    ASSERT_EQ(originalExitCode(spawned), 0) << spawned.body;
    auto session = text(spawned.object(), "sessionId");
    EXPECT_EQ(text(spawned.object()->getObject("session"), "strategy"), "queue");
    const auto queue = "/api/sessions/" + session + "/queue";

    // queue top
    auto top = http().get(queue + "/top").object();
    EXPECT_TRUE(top->getValue<bool>("hasMore"));
    EXPECT_EQ(text(top->getObject("item"), "taskId"), task_);
    EXPECT_EQ(text(top->getObject("item"), "status"), "queued");
    // queue start
    auto started = http().post(queue + "/start", "{}");
    ASSERT_EQ(originalExitCode(started), 0) << started.body;
    EXPECT_EQ(text(started.object()->getObject("item"), "taskId"), task_);
    EXPECT_TRUE(started.object()->getObject("item")->has("startedAt"));
    EXPECT_EQ(text(task(task_), "sessionStatus"), "working");
    EXPECT_EQ(originalExitCode(http().post(queue + "/start", "{}")), 1) << "one at a time";
    // queue complete
    auto completed = http().post(queue + "/complete", "{}").object();
    EXPECT_EQ(text(completed->getObject("completedItem"), "taskId"), task_);
    EXPECT_TRUE(completed->getValue<bool>("hasMore"));
    EXPECT_EQ(text(completed->getObject("nextItem"), "taskId"), second);
    EXPECT_EQ(text(task(task_), "sessionStatus"), "completed");
    // queue push, queue start, queue fail --reason
    auto third = createTask("Write the checker");
    auto pushed = http().post(queue + "/push", R"({"taskId":)" + quote(third) + "}");
    ASSERT_EQ(originalExitCode(pushed), 0) << pushed.body;
    EXPECT_EQ(text(pushed.object()->getObject("item"), "status"), "queued");
    EXPECT_EQ(originalExitCode(http().post(queue + "/push", R"({"taskId":)" + quote(third) + "}")),
              1)
        << "a task is queued once";
    EXPECT_EQ(originalExitCode(http().post(queue + "/push", R"({"taskId":"task_missing"})")), 2);
    http().post(queue + "/start", "{}");
    auto failed = http().post(queue + "/fail", R"({"reason":"grammar is ambiguous"})").object();
    EXPECT_EQ(text(failed->getObject("failedItem"), "failReason"), "grammar is ambiguous");
    EXPECT_EQ(text(task(second), "sessionStatus"), "failed");
    // queue skip (the next queued), then the queue is empty
    auto skipped = http().post(queue + "/skip", "{}").object();
    EXPECT_EQ(text(skipped->getObject("skippedItem"), "taskId"), third);
    EXPECT_FALSE(skipped->getValue<bool>("hasMore"));
    EXPECT_TRUE(skipped->isNull("nextItem"));
    auto empty = http().post(queue + "/start", "{}").object();
    EXPECT_TRUE(empty->isNull("item"));
    EXPECT_TRUE(empty->getValue<bool>("empty"));
    EXPECT_FALSE(http().get(queue + "/top").object()->getValue<bool>("hasMore"));
    // queue list, queue status
    auto list = http().get(queue + "/items").object();
    EXPECT_EQ(list->getArray("items")->size(), 3u);
    auto stats = list->getObject("stats");
    EXPECT_EQ(stats->getValue<int>("total"), 3);
    EXPECT_EQ(stats->getValue<int>("completed"), 1);
    EXPECT_EQ(stats->getValue<int>("failed"), 1);
    EXPECT_EQ(stats->getValue<int>("skipped"), 1);
    auto status = http().get(queue).object();
    EXPECT_EQ(text(status->getObject("queue"), "sessionId"), session);
    EXPECT_EQ(status->getObject("queue")->getValue<int>("currentIndex"), -1);
    EXPECT_EQ(status->getObject("stats")->getValue<int>("queued"), 0);

    // A session of another strategy has no queue (400, exit 1); an unknown one is 404 (exit 2).
    auto simple = registerSession("sess_simple");
    EXPECT_EQ(originalExitCode(http().get("/api/sessions/" + simple + "/queue/top")), 1);
    EXPECT_EQ(originalExitCode(http().get("/api/sessions/sess_missing/queue")), 2);
    http().post("/api/sessions/" + session + "/stop", "{}");
}

TEST_F(CompatTest, SessionRegisterWithTheQueueStrategyMakesAQueue) {
    // `maestro session register` in a queue session sends strategy "queue".
    auto created = http().post(
        "/api/sessions",
        R"({"id":"sess_queued","projectId":)" + quote(project_) + R"(,"taskIds":[)" + quote(task_) +
            R"(],"name":"worker","status":"running","strategy":"queue","metadata":{"role":"worker"}})");
    ASSERT_EQ(originalExitCode(created), 0) << created.body;
    auto top = http().get("/api/sessions/sess_queued/queue/top").object();
    EXPECT_EQ(text(top->getObject("item"), "taskId"), task_);
    EXPECT_EQ(
        originalExitCode(http().post("/api/sessions", R"({"projectId":)" + quote(project_) +
                                                          R"(,"taskIds":[],"strategy":"fifo"})")),
        1);
}

TEST(CompatClientSpawner, SpawnAnnouncesSessionSpawnForTheClientToOpenTheTerminal) {
    TempDir home;
    std::ofstream(home.path() / "config.json")
        << R"({"spawner":"client","defaultAgent":"idle","agents":{"idle":{"command":"/bin/sh","args":["-c","echo it's me"]}}})";
    TestServer server(home.path(), {{}, {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}}});
    auto http = server.client();
    auto project = http.createProject();
    auto task = http.createTask(project);
    WsClient events(server.port());
    // What the original UI sends: spawnSource ui (its default), no parent.
    auto spawned = http.post("/api/sessions/spawn", R"({"projectId":)" + quote(project) +
                                                        R"(,"taskIds":[)" + quote(task) +
                                                        R"(],"role":"worker","spawnSource":"ui"})");
    ASSERT_EQ(spawned.status, 201) << spawned.body;
    auto id = text(spawned.object(), "sessionId");
    auto spawn = events.receiveUntil([](const Poco::JSON::Object::Ptr& message) {
        return text(message, "event") == "session:spawn";
    });
    ASSERT_TRUE(spawn);
    auto data = (*spawn)->getObject("data");
    EXPECT_EQ(text(data->getObject("session"), "id"), id);
    EXPECT_EQ(text(data, "command"), R"('/bin/sh' '-c' 'echo it'\''s me')")
        << "a shell command line, each word quoted";
    EXPECT_FALSE(text(data, "cwd").empty());
    EXPECT_EQ(text(data->getObject("envVars"), "MAESTRO_SESSION_ID"), id);
    EXPECT_EQ(text(data, "projectId"), project);
    EXPECT_EQ(data->getArray("taskIds")->getElement<std::string>(0), task);
    EXPECT_EQ(text(data, "spawnSource"), "ui");
    EXPECT_TRUE(data->isNull("parentSessionId"));
}

TEST(CompatServerSpawner, SpawnDoesNotAskClientsToOpenATerminal) {
    // The server runs the process itself: a session:spawn would make the original UI start a
    // second agent, so only session:spawn_request (with plan.spawner "server") is sent.
    TempDir home;
    std::ofstream(home.path() / "config.json")
        << R"({"defaultAgent":"idle","agents":{"idle":{"command":"/bin/sh","args":["-c","sleep 30"]}}})";
    TestServer server(home.path(), {{}, {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}}});
    auto http = server.client();
    auto project = http.createProject();
    auto task = http.createTask(project);
    auto spawned =
        http.post("/api/sessions/spawn", R"({"taskIds":[)" + quote(task) + R"(],"role":"worker"})");
    ASSERT_EQ(spawned.status, 201) << spawned.body;
    WsClient replay(server.port());
    replay.send(R"({"type":"subscribe","since":0})");
    bool sawSpawn = false;
    auto request = replay.receiveUntil([&](const Poco::JSON::Object::Ptr& message) {
        sawSpawn = sawSpawn || text(message, "event") == "session:spawn";
        return text(message, "event") == "session:spawn_request";
    });
    ASSERT_TRUE(request);
    // Everything of the spawn is before the next event of the log: read on to the session
    // becoming running, which follows it.
    replay.receiveUntil([&](const Poco::JSON::Object::Ptr& message) {
        sawSpawn = sawSpawn || text(message, "event") == "session:spawn";
        auto data = message->getObject("data");
        return text(message, "event") == "session:updated" && data &&
               text(data, "status") == "running";
    });
    EXPECT_FALSE(sawSpawn);
    http.post("/api/sessions/" + text(spawned.object(), "sessionId") + "/stop", "{}");
}

} // namespace
