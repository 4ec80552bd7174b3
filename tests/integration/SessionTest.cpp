// Spawning sessions: real processes in real pseudo-terminals, started by the real server.
#include "Processes.h"
#include "SessionSupport.h"
#include "WsClient.h"

#include <Poco/JSON/Parser.h>
#include <atomic>
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <thread>

using namespace maestro::test;
using Poco::JSON::Object;

namespace {

namespace fs = std::filesystem;

std::string field(const HttpResult& result, const std::string& name) {
    return result.object()->getValue<std::string>(name);
}

// The descriptors a session holds in the server: its connection to the session's holder, and
// the holder's pidfd while the holder is this server's child. (Others, such as pooled
// database connections, come and go with load.)
std::size_t sessionFds(pid_t server) {
    return unixSockets(server) + openFds(server, "anon_inode:[pidfd]");
}

} // namespace

TEST(Session, WorkerSeesItsTaskInEnvironmentAndBrief) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    http.createSubtask(setup.task, "Tokenizer");
    http.createSubtask(setup.task, "Grammar");

    auto result = http.post("/api/sessions/spawn", R"({"taskIds":[")" + setup.task +
                                                       R"("],"role":"worker","agent":"env"})");
    ASSERT_EQ(result.status, 201) << result.body;
    auto id = result.object()->getValue<std::string>("sessionId");
    EXPECT_TRUE(result.object()->getValue<bool>("success"));
    ASSERT_TRUE(waitForStatus(http, id, "completed"));

    auto text = output(http, id);
    auto port = std::to_string(s.server->port());
    for (const std::string& expected : std::vector<std::string>{
             "MAESTRO_API_URL=http://127.0.0.1:" + port, "MAESTRO_PROJECT_ID=" + setup.project,
             "MAESTRO_SESSION_ID=" + id, "MAESTRO_TASK_ID=" + setup.task,
             "MAESTRO_TASK_IDS=" + setup.task, std::string("MAESTRO_ROLE=worker"),
             "MAESTRO_BRIEF_FILE=" + (s.home->path() / "sessions" / id / "brief.md").string(),
             std::string("MAESTRO_PARENT_SESSION_ID="), "CWD=" + s.project().string(),
             "ARGS=" + setup.task + " " + id, std::string("TTY=/dev/pts/")})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n--- output:\n" << text;
    EXPECT_NE(text.find("MAESTRO_SKILLS="), std::string::npos);
    EXPECT_NE(text.find("maestro-worker"), std::string::npos);

    auto brief = text.substr(text.find("BRIEF-BEGIN"));
    for (const std::string& expected : std::vector<std::string>{
             "Port the parser", "Rewrite parser.c in C++20.", "Tokenizer", "Grammar"})
        EXPECT_NE(brief.find(expected), std::string::npos) << expected << "\n--- brief:\n" << brief;

    auto record = session(http, id);
    EXPECT_EQ(record->getValue<int>("exitCode"), 0);
    EXPECT_EQ(record->getValue<std::string>("cwd"), s.project().string());
    EXPECT_EQ(record->getObject("env")->getValue<std::string>("MAESTRO_TASK_ID"), setup.task);
    auto task = http.get("/api/tasks/" + setup.task).object();
    EXPECT_EQ(task->getArray("sessionIds")->getElement<std::string>(0), id);
}

TEST(Session, EachSessionGetsAnMcpConfigNamingIt) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto result = http.post("/api/sessions/spawn", R"({"taskIds":[")" + setup.task + R"("]})");
    ASSERT_EQ(result.status, 201) << result.body;
    auto id = field(result, "sessionId");
    auto file = s.home->path() / "sessions" / id / "mcp.json";
    EXPECT_EQ(session(http, id)->getObject("env")->getValue<std::string>("MAESTRO_MCP_CONFIG"),
              file.string());
    EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write)
        << "it may hold the server's token";

    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Poco::JSON::Parser parser;
    auto maestro =
        parser.parse(text).extract<Object::Ptr>()->getObject("mcpServers")->getObject("maestro");
    ASSERT_TRUE(maestro) << text;
    EXPECT_EQ(maestro->getValue<std::string>("type"), "http");
    EXPECT_EQ(maestro->getValue<std::string>("url"), s.server->baseUrl() + "/mcp");
    EXPECT_EQ(maestro->getObject("headers")->getValue<std::string>("X-Maestro-Session"), id);
    EXPECT_FALSE(maestro->getObject("headers")->has("Authorization")) << "no token on loopback";
}

TEST(Session, ExitCodeDecidesTheFinalStatusAndIsAnnounced) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    WsClient ws(s.server->port());
    ws.receive();
    auto ok = spawn(http, setup.task, "ok");
    auto failing = spawn(http, setup.task, "fail");
    ASSERT_TRUE(waitForStatus(http, ok, "completed"));
    ASSERT_TRUE(waitForStatus(http, failing, "failed"));
    EXPECT_EQ(session(http, failing)->getValue<int>("exitCode"), 3);

    std::set<std::string> exited;
    while (exited.size() < 2) {
        auto message = ws.receiveUntil([](const Object::Ptr& m) {
            return m->getValue<std::string>("type") == "session:exited";
        });
        ASSERT_TRUE(message);
        exited.insert((*message)->getObject("data")->getValue<std::string>("id"));
    }
    EXPECT_TRUE(exited.count(ok) && exited.count(failing));
    auto timeline = http.get("/api/tasks/" + setup.task).object()->getArray("timeline");
    int ended = 0;
    for (std::size_t i = 0; i < timeline->size(); ++i)
        ended += timeline->getObject(static_cast<unsigned>(i))->getValue<std::string>("type") ==
                 "session_ended";
    EXPECT_EQ(ended, 2);
}

TEST(Session, InputReachesTheProgramAndResizeTheTerminal) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "echo", R"(,"cols":90,"rows":30)");
    ASSERT_TRUE(waitForOutput(http, id, "ready"));
    EXPECT_EQ(sessionFds(s.server->pid()), 2u) << "the holder's socket and pidfd";
    ASSERT_EQ(http.post("/api/sessions/" + id + "/input", R"({"data":"size\r"})").status, 200);
    EXPECT_TRUE(waitForOutput(http, id, "30 90"));
    ASSERT_EQ(http.post("/api/sessions/" + id + "/resize", R"({"cols":100,"rows":40})").status,
              200);
    http.post("/api/sessions/" + id + "/input", R"({"data":"size\r"})");
    EXPECT_TRUE(waitForOutput(http, id, "40 100"));
    http.post("/api/sessions/" + id + "/input", R"({"data":"hello\r"})");
    EXPECT_TRUE(waitForOutput(http, id, "got:hello"));
    http.post("/api/sessions/" + id + "/input", R"({"data":"quit\r"})");
    EXPECT_TRUE(waitForStatus(http, id, "completed"));
    EXPECT_EQ(http.post("/api/sessions/" + id + "/input", R"({"data":"late\r"})").status, 409);
    EXPECT_EQ(http.post("/api/sessions/" + id + "/resize", R"({"cols":0,"rows":40})").status, 400);
}

TEST(Session, StopEndsTheProcessAndAStubbornOneIsKilled) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    for (const std::string& agent : std::vector<std::string>{"sleep", "stubborn"}) {
        SCOPED_TRACE(agent);
        auto id = spawn(http, setup.task, agent);
        ASSERT_TRUE(waitForOutput(http, id, "ready"));
        auto pid = static_cast<pid_t>(session(http, id)->getValue<int>("pid"));
        auto stopped = http.post("/api/sessions/" + id + "/stop", "");
        ASSERT_EQ(stopped.status, 200) << stopped.body;
        EXPECT_EQ(stopped.object()->getValue<std::string>("status"), "stopped");
        EXPECT_TRUE(waitUntil([&] { return processEnded(pid); }));
        EXPECT_EQ(http.post("/api/sessions/" + id + "/stop", "").status, 409);
    }
}

TEST(Session, AttachStreamsScrollbackFirstThenLiveOutput) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "echo");
    ASSERT_TRUE(waitForOutput(http, id, "ready"));

    WsClient ws(s.server->port());
    ws.receive();
    ws.send(R"({"type":"session:attach","sessionId":")" + id + R"("})");
    auto first = ws.receiveUntil(
        [](const Object::Ptr& m) { return m->getValue<std::string>("type") == "session:output"; });
    ASSERT_TRUE(first);
    EXPECT_TRUE((*first)->getValue<bool>("scrollback"));
    EXPECT_NE((*first)->getValue<std::string>("data").find("ready"), std::string::npos);
    auto offset = (*first)->getValue<std::int64_t>("offset") +
                  static_cast<std::int64_t>((*first)->getValue<std::string>("data").size());

    ws.send(R"({"type":"session:input","sessionId":")" + id + R"(","data":"over websocket\r"})");
    std::string live;
    auto got = ws.receiveUntil([&](const Object::Ptr& m) {
        if (m->getValue<std::string>("type") != "session:output") return false;
        EXPECT_EQ(m->getValue<std::int64_t>("offset"), offset)
            << "chunks continue exactly where the last ended";
        offset += static_cast<std::int64_t>(m->getValue<std::string>("data").size());
        live += m->getValue<std::string>("data");
        return live.find("got:over websocket") != std::string::npos;
    });
    EXPECT_TRUE(got) << live;
    ws.send(R"({"type":"session:attach","sessionId":"sess_nope"})");
    auto error = ws.receiveUntil(
        [](const Object::Ptr& m) { return m->getValue<std::string>("type") == "error"; });
    ASSERT_TRUE(error);
    http.post("/api/sessions/" + id + "/stop", "");
}

TEST(Session, TwentyAtOnceAllRunAndExitWithoutZombiesOrLeakedDescriptors) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    pid_t server = s.server->pid();
    ASSERT_EQ(sessionFds(server), 0u);

    std::vector<std::string> ids(20);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 20; ++i)
        threads.emplace_back([&, i] {
            try {
                auto client = s.client();
                ids[i] = spawn(client, setup.task, i % 2 ? "ok" : "burst");
            } catch (const std::exception&) {
                ++failures;
            }
        });
    for (auto& thread : threads)
        thread.join();
    ASSERT_EQ(failures, 0);
    for (const auto& id : ids)
        EXPECT_TRUE(waitForStatus(http, id, "completed", std::chrono::seconds(30))) << id;
    EXPECT_TRUE(waitUntil([&] { return childrenOf(server).empty(); }))
        << "holders left: " << childrenOf(server).size();
    EXPECT_TRUE(waitUntil([&] { return sessionFds(server) == 0; }))
        << sessionFds(server) << " session descriptors left open";
    auto burst = output(http, ids[0]);
    EXPECT_NE(burst.find("line 1999"), std::string::npos)
        << "the last output of a fast process is kept";
}

TEST(Session, InvalidSpawnsAreRefusedAndStoreNothing) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto other = http.createProject("other");
    auto otherTask = http.createTask(other);
    auto lastSeq = http.get("/api/events?limit=1").header("X-Last-Seq");

    struct Case {
        std::string body;
        int status;
        std::string code;
    };
    const std::vector<Case> cases = {
        {R"({"taskId":"task_nope","agent":"ok"})", 404, "task_not_found"},
        {R"({"taskIds":[],"agent":"ok"})", 400, "validation_error"},
        {R"({"taskId":")" + setup.task + R"(","agent":"unknown"})", 400, "unknown_agent"},
        {R"({"taskId":")" + setup.task + R"(","role":"boss"})", 400, "validation_error"},
        {R"({"taskId":")" + setup.task + R"(","parentSessionId":"sess_nope"})", 404,
         "session_not_found"},
        {R"({"taskIds":[")" + setup.task + R"(",")" + otherTask + R"("]})", 400,
         "task_in_other_project"},
        {R"({"taskId":")" + setup.task + R"(","projectId":")" + other + R"("})", 400,
         "task_in_other_project"},
    };
    for (const auto& c : cases) {
        auto result = http.post("/api/sessions/spawn", c.body);
        EXPECT_EQ(result.status, c.status) << c.body << " → " << result.body;
        EXPECT_EQ(result.object()->getValue<std::string>("code"), c.code) << c.body;
    }
    http.put("/api/projects/" + setup.project, R"({"workingDir":"/does/not/exist"})");
    auto missingDir = http.post("/api/sessions/spawn", R"({"taskId":")" + setup.task + R"("})");
    EXPECT_EQ(missingDir.status, 400);
    EXPECT_EQ(missingDir.object()->getValue<std::string>("code"), "invalid_working_dir");
    EXPECT_EQ(http.get("/api/sessions").header("X-Total-Count"), "0");
    auto events = http.get("/api/events?since=" + lastSeq).array();
    for (std::size_t i = 0; i < events->size(); ++i)
        EXPECT_FALSE(events->getObject(static_cast<unsigned>(i))
                         ->getValue<std::string>("type")
                         .starts_with("session:"));
}

TEST(Session, MissingAgentCommandFailsTheSessionWithItsReason) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto result =
        http.post("/api/sessions/spawn", R"({"taskId":")" + setup.task + R"(","agent":"missing"})");
    EXPECT_EQ(result.status, 422);
    auto error = result.object();
    EXPECT_EQ(error->getValue<std::string>("code"), "spawn_failed");
    auto id = error->getObject("details")->getValue<std::string>("sessionId");
    auto record = session(http, id);
    EXPECT_EQ(record->getValue<std::string>("status"), "failed");
    EXPECT_NE(record->getObject("metadata")
                  ->getValue<std::string>("failureReason")
                  .find("no-such-agent-binary"),
              std::string::npos);
}

TEST(Session, SpawnHooksAddToThePlanAndCanVeto) {
    SessionServer s;
    fs::copy(fs::path(MAESTRO_FIXTURE_SKILLS_DIR) / "good",
             s.home->path() / "maestro-skills" / "good", fs::copy_options::recursive);
    auto http = s.client();
    ASSERT_TRUE(waitUntil([&] { return http.get("/api/skills/good").status == 200; }));
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "env");
    ASSERT_TRUE(waitForStatus(http, id, "completed"));
    auto text = output(http, id);
    EXPECT_NE(text.find("GOOD_HOOK=1"), std::string::npos) << text;
    EXPECT_NE(text.find("--from-good"), std::string::npos) << text;

    fs::copy(fs::path(MAESTRO_FIXTURE_SKILLS_DIR) / "vetoes",
             s.home->path() / "maestro-skills" / "vetoes", fs::copy_options::recursive);
    ASSERT_TRUE(waitUntil([&] { return http.get("/api/skills/vetoes").status == 200; }));
    auto before = http.get("/api/sessions").header("X-Total-Count");
    auto vetoed =
        http.post("/api/sessions/spawn", R"({"taskId":")" + setup.task + R"(","agent":"env"})");
    EXPECT_EQ(vetoed.status, 422) << vetoed.body;
    EXPECT_EQ(vetoed.object()->getValue<std::string>("code"), "spawn_vetoed");
    EXPECT_EQ(vetoed.object()->getObject("details")->getValue<std::string>("skillId"), "vetoes");
    EXPECT_EQ(http.get("/api/sessions").header("X-Total-Count"), before)
        << "a vetoed spawn stores nothing";
    auto orchestrator =
        http.post("/api/sessions/spawn",
                  R"({"taskId":")" + setup.task + R"(","agent":"ok","role":"orchestrator"})");
    EXPECT_EQ(orchestrator.status, 201) << "the veto applies to the hook's roles only";
}

TEST(Session, ClientSpawnerWaitsForAClaim) {
    SessionServer s(R"(,"spawner":"client","claimTimeoutMs":1500)");
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    WsClient ws(s.server->port());
    ws.receive();
    auto id = spawn(http, setup.task, "sleep");
    auto request = ws.receiveUntil([](const Object::Ptr& m) {
        return m->getValue<std::string>("type") == "session:spawn_request";
    });
    ASSERT_TRUE(request);
    auto plan = (*request)->getObject("data")->getObject("plan");
    EXPECT_EQ(plan->getValue<std::string>("command"), MAESTRO_FAKE_AGENT);
    EXPECT_EQ(plan->getValue<std::string>("spawner"), "client");
    EXPECT_EQ(plan->getObject("env")->getValue<std::string>("MAESTRO_SESSION_ID"), id);
    EXPECT_EQ(session(http, id)->getValue<std::string>("status"), "spawning");

    auto claimed = http.post("/api/sessions/" + id + "/claim", R"({"pid":4242})");
    ASSERT_EQ(claimed.status, 200) << claimed.body;
    EXPECT_EQ(claimed.object()->getValue<std::string>("status"), "running");
    EXPECT_EQ(http.post("/api/sessions/" + id + "/claim", "").status, 409);
    EXPECT_EQ(
        http.post("/api/sessions/" + id + "/stop", "").object()->getValue<std::string>("status"),
        "stopped");

    auto unclaimed = spawn(http, setup.task, "sleep");
    EXPECT_TRUE(waitForStatus(http, unclaimed, "failed"))
        << "an unclaimed session must not stay spawning";
}

TEST(Session, SpawnAndStopWithIdempotencyKeysHappenOnce) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto body = R"({"taskId":")" + setup.task + R"(","agent":"sleep"})";
    auto first = http.post("/api/sessions/spawn", body, {{"Idempotency-Key", "spawn-1"}});
    ASSERT_EQ(first.status, 201) << first.body;
    auto again = http.post("/api/sessions/spawn", body, {{"Idempotency-Key", "spawn-1"}});
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(http.get("/api/sessions").header("X-Total-Count"), "1")
        << "a repeated spawn starts nothing";

    auto id = first.object()->getValue<std::string>("sessionId");
    ASSERT_TRUE(waitForOutput(http, id, "ready"));
    // The stop waits for the exit to be recorded: with the key it must not hold the writer.
    auto stopped = http.post("/api/sessions/" + id + "/stop", "", {{"Idempotency-Key", "stop-1"}});
    ASSERT_EQ(stopped.status, 200) << stopped.body;
    EXPECT_EQ(stopped.object()->getValue<std::string>("status"), "stopped");
    EXPECT_EQ(http.post("/api/sessions/" + id + "/stop", "", {{"Idempotency-Key", "stop-1"}}).body,
              stopped.body);

    std::vector<int> statuses(6);
    std::vector<std::thread> racers;
    for (int i = 0; i < 6; ++i)
        racers.emplace_back([&, i] {
            auto client = s.client();
            statuses[i] =
                client.post("/api/sessions/spawn", body, {{"Idempotency-Key", "race"}}).status;
        });
    for (auto& racer : racers)
        racer.join();
    for (int status : statuses)
        EXPECT_TRUE(status == 201 || status == 409) << status;
    EXPECT_EQ(http.get("/api/sessions").header("X-Total-Count"), "2")
        << "racing repeats start one session";
}

TEST(Session, AgentProfilesAreListed) {
    SessionServer s;
    auto http = s.client();
    auto agents = http.get("/api/agents").array();
    std::map<std::string, Object::Ptr> byName;
    for (std::size_t i = 0; i < agents->size(); ++i) {
        auto agent = agents->getObject(static_cast<unsigned>(i));
        byName[agent->getValue<std::string>("name")] = agent;
    }
    ASSERT_TRUE(byName.count("claude") && byName.count("shell") && byName.count("echo"));
    EXPECT_EQ(byName["echo"]->getValue<std::string>("command"), MAESTRO_FAKE_AGENT);
    EXPECT_TRUE(byName["ok"]->getValue<bool>("default"));
    EXPECT_FALSE(byName["claude"]->getValue<bool>("default"));
}

TEST(Session, AgentProfilesSayWhetherTheirCommandCanStart) {
    SessionServer s;
    auto http = s.client();
    auto agents = http.get("/api/agents").array();
    std::map<std::string, Object::Ptr> byName;
    for (std::size_t i = 0; i < agents->size(); ++i) {
        auto agent = agents->getObject(static_cast<unsigned>(i));
        byName[agent->getValue<std::string>("name")] = agent;
    }
    ASSERT_TRUE(byName.count("echo") && byName.count("shell") && byName.count("missing"));
    EXPECT_TRUE(byName["echo"]->getValue<bool>("available"));
    EXPECT_FALSE(byName["echo"]->has("reason"));
    EXPECT_TRUE(byName["shell"]->getValue<bool>("available"));
    EXPECT_FALSE(byName["missing"]->getValue<bool>("available"));
    EXPECT_EQ(byName["missing"]->getValue<std::string>("reason"),
              "command not found on PATH: no-such-agent-binary");
}

TEST(Session, OriginalSessionRoutesStillWork) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto created = http.post("/api/sessions",
                             R"({"projectId":")" + setup.project + R"(","taskId":")" + setup.task +
                                 R"(","name":"UI terminal","metadata":{"spawnSource":"ui"}})");
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = field(created, "id");
    EXPECT_EQ(field(created, "status"), "running");
    EXPECT_EQ(http.get("/api/sessions?taskId=" + setup.task).header("X-Total-Count"), "1");
    EXPECT_EQ(http.get("/api/sessions?active=true").header("X-Total-Count"), "1");
    auto patched = http.patch("/api/sessions/" + id, R"({"status":"completed"})");
    EXPECT_EQ(field(patched, "status"), "completed");
    EXPECT_EQ(http.get("/api/sessions?active=true").header("X-Total-Count"), "0");
    EXPECT_EQ(http.patch("/api/sessions/" + id, R"({"status":"sleeping"})").status, 400);
    EXPECT_EQ(http.del("/api/sessions/" + id).status, 200);
    EXPECT_EQ(http.get("/api/sessions/" + id).status, 404);
}
