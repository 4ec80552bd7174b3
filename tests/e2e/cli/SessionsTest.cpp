// session list|get|spawn|stop|attach|logs|input|screen and inbox against a server that runs
// real processes in pseudo-terminals (tests/fixtures/agents/fake-agent.sh stands in for an AI
// agent).
#include "CliRunner.h"
#include "FaultProxy.h"
#include "Processes.h"
#include "TestServer.h"

#include <csignal>
#include <fstream>
#include <gtest/gtest.h>

namespace maestro::test {
namespace {

namespace fs = std::filesystem;

class SessionsTest : public ::testing::Test {
protected:
    SessionsTest() : SessionsTest(fakeAgents()) {}
    // A server whose config.json is `config`, with a project and a task to spawn for.
    explicit SessionsTest(const std::string& config) {
        std::ofstream(home.path() / "config.json") << config;
        fs::create_directories(home.path() / "work");
        server = std::make_unique<TestServer>(
            home.path(),
            TestServer::Options{{}, {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}}});
        cli = std::make_unique<Cli>(server->baseUrl());
        auto http = server->client();
        auto project = http.post("/api/projects", R"({"name":"P","workingDir":")" +
                                                      (home.path() / "work").string() + "\"}");
        projectId = project.object()->getValue<std::string>("id");
        taskId = http.createTask(projectId, "Work");
    }

    static std::string fakeAgents() {
        const std::string fake = MAESTRO_FAKE_AGENT;
        const auto profile = [&fake](const std::string& name, const std::string& args) {
            return "\"" + name + "\":{\"command\":\"" + fake + "\",\"args\":[" + args + "]}";
        };
        return "{\"agents\":{" + profile("env", R"("env")") + "," + profile("sleep", R"("sleep")") +
               "," + profile("burst", R"("burst","300")") + "," + profile("echo", R"("echo")") +
               "},\"defaultAgent\":\"env\"}";
    }

    Poco::JSON::Object::Ptr ok(const std::vector<std::string>& args) {
        auto result = cli->json(args);
        EXPECT_EQ(result.exitCode, 0) << result.describe();
        return result.object();
    }

    // Spawns and returns the new session's id.
    std::string spawn(const std::string& agent, const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args = {"session", "spawn", "--task", taskId, "--agent", agent};
        args.insert(args.end(), extra.begin(), extra.end());
        auto reply = ok(args);
        return reply->getValue<std::string>("sessionId");
    }

    // The fake agent says "ready" once its signal handling is in place.
    bool waitForReady(const std::string& id) {
        auto http = server->client();
        return waitUntil(
            [&] {
                return http.get("/api/sessions/" + id + "/output")
                           .object()
                           ->getValue<std::string>("data")
                           .find("ready") != std::string::npos;
            },
            20s);
    }

    std::string status(const std::string& id) {
        return server->client()
            .get("/api/sessions/" + id)
            .object()
            ->getValue<std::string>("status");
    }

    bool waitForStatus(const std::string& id, const std::string& wanted) {
        return waitUntil([&] { return status(id) == wanted; }, 20s);
    }

    // `session attach` on a terminal, once it has put the terminal in raw mode.
    std::unique_ptr<ChildProcess> attachOnTerminal(const std::string& id) {
        auto attach = cli->start({"session", "attach", id}, ChildInput::Terminal);
        EXPECT_TRUE(waitUntil(
            [&] { return attach->err().find("Ctrl-] to detach") != std::string::npos; }, 20s))
            << attach->err();
        return attach;
    }

    // Ctrl-] on `attach`: it exits 0, says so, and gives the terminal its own mode back.
    void detach(ChildProcess& attach, const std::string& id) {
        attach.write("\x1d"); // Ctrl-]
        auto result = attach.wait(20s);
        EXPECT_EQ(result.exitCode, 0) << result.describe();
        EXPECT_NE(result.err.find("detached from " + id), std::string::npos) << result.err;
        EXPECT_EQ(attach.terminalMode().c_lflag & (ICANON | ECHO | ISIG), ICANON | ECHO | ISIG);
    }

    TempDir home;
    std::unique_ptr<TestServer> server;
    std::unique_ptr<Cli> cli;
    std::string projectId;
    std::string taskId;
};

TEST_F(SessionsTest, SpawnGetListAndLogs) {
    auto reply = ok({"session", "spawn", "--task", taskId, "--agent", "env", "--name", "w1"});
    EXPECT_TRUE(reply->getValue<bool>("success"));
    const auto id = reply->getValue<std::string>("sessionId");
    auto session = reply->getObject("session");
    EXPECT_EQ(session->getValue<std::string>("name"), "w1");
    EXPECT_EQ(session->getValue<std::string>("role"), "worker");
    EXPECT_EQ(session->getValue<std::string>("projectId"), projectId);
    ASSERT_TRUE(waitForStatus(id, "completed"));

    auto got = ok({"session", "get", id});
    EXPECT_EQ(got->getValue<std::string>("id"), id);
    EXPECT_EQ(got->getValue<int>("exitCode"), 0);

    auto list = cli->json({"--project", projectId, "session", "list"});
    ASSERT_EQ(list.exitCode, 0) << list.describe();
    ASSERT_EQ(list.array()->size(), 1u);
    EXPECT_EQ(cli->json({"session", "list", "--status", "running"}).array()->size(), 0u);

    auto logs = ok({"session", "logs", id});
    const auto data = logs->getValue<std::string>("data");
    EXPECT_NE(data.find("MAESTRO_TASK_ID=" + taskId), std::string::npos) << data;
    EXPECT_NE(data.find("MAESTRO_SESSION_ID=" + id), std::string::npos) << data;
    const auto end = logs->getValue<long long>("end");
    auto tail = ok({"session", "logs", id, "--since", std::to_string(end)});
    EXPECT_EQ(tail->getValue<std::string>("data"), "");

    auto text = cli->run({"session", "logs", id});
    EXPECT_NE(text.out.find("BRIEF-BEGIN"), std::string::npos) << text.out;
    auto table = cli->run({"session", "list"});
    EXPECT_NE(table.out.find("completed"), std::string::npos) << table.out;
}

TEST_F(SessionsTest, SpawnOnANodeRunsThereOrIsRefusedForAnUnknownOne) {
    auto nodes = server->client().get("/api/nodes").array();
    auto self = nodes->getObject(0)->getValue<std::string>("id");
    auto id = spawn("env", {"--node", self});
    EXPECT_EQ(ok({"session", "get", id})->getValue<std::string>("nodeId"), self);

    auto refused = cli->json({"session", "spawn", "--task", taskId, "--node", "nowhere"});
    EXPECT_EQ(refused.exitCode, 65) << refused.describe();
    EXPECT_EQ(refused.object()->getValue<std::string>("code"), "node_not_found");
}

TEST_F(SessionsTest, SpawnInsideASessionRecordsTheParent) {
    const auto parent = spawn("sleep");
    ASSERT_TRUE(waitForReady(parent));
    cli->set("MAESTRO_SESSION_ID", parent).set("MAESTRO_TASK_ID", taskId);
    auto reply = ok({"session", "spawn", "--role", "worker", "--agent", "env"});
    EXPECT_EQ(reply->getObject("session")->getValue<std::string>("parentSessionId"), parent);
    // In a session, session ids default to $MAESTRO_SESSION_ID.
    EXPECT_EQ(ok({"session", "get"})->getValue<std::string>("id"), parent);
    EXPECT_EQ(ok({"session", "stop"})->getValue<std::string>("status"), "stopped");
}

TEST_F(SessionsTest, StopEndsASession) {
    const auto id = spawn("sleep");
    ASSERT_TRUE(waitForReady(id));
    auto stopped = ok({"session", "stop", id});
    EXPECT_EQ(stopped->getValue<std::string>("status"), "stopped");
    auto text = cli->run({"session", "get", id});
    EXPECT_NE(text.out.find("stopped"), std::string::npos) << text.out;
}

TEST_F(SessionsTest, AttachStreamsOutputUntilTheSessionEnds) {
    const auto id = spawn("sleep");
    ASSERT_TRUE(waitForStatus(id, "running"));
    auto attach = cli->start({"session", "attach", id});
    ASSERT_TRUE(waitUntil([&] { return attach->out().find("ready") != std::string::npos; }, 20s))
        << attach->err();
    ok({"session", "stop", id});
    auto result = attach->wait(20s);
    EXPECT_EQ(result.exitCode, 0) << result.describe();
    EXPECT_NE(result.out.find("terminating"), std::string::npos) << result.out;
}

TEST_F(SessionsTest, AttachToAnEndedSessionPrintsItsOutputAndReturns) {
    const auto id = spawn("burst");
    ASSERT_TRUE(waitForStatus(id, "completed"));
    auto result = cli->json({"session", "attach", id}, 20s);
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    std::string data;
    for (const auto& line : result.lines()) {
        EXPECT_EQ(line->getValue<std::string>("type"), "session:output");
        data += line->getValue<std::string>("data");
    }
    EXPECT_NE(data.find("line 299"), std::string::npos);
}

TEST_F(SessionsTest, AttachWithInputTypesIntoTheSession) {
    const auto id = spawn("echo");
    ASSERT_TRUE(waitForReady(id));
    // stdin ends at once; the output goes on until "quit" has ended the session.
    auto result =
        cli->runWithInput({"--json", "session", "attach", "--input", id}, "hello\nquit\n", 20s);
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    std::string data;
    for (const auto& line : result.lines())
        data += line->getValue<std::string>("data");
    EXPECT_NE(data.find("got:hello"), std::string::npos) << data;
    EXPECT_EQ(status(id), "completed");
}

TEST_F(SessionsTest, AttachWithInputReturnsWhenTheSessionEndsWhileStdinIsOpen) {
    const auto id = spawn("echo");
    ASSERT_TRUE(waitForReady(id));
    auto attach = cli->start({"session", "attach", "--input", id}, ChildInput::Pipe);
    attach->write("hello\n");
    ASSERT_TRUE(
        waitUntil([&] { return attach->out().find("got:hello") != std::string::npos; }, 20s))
        << attach->out();
    ok({"session", "stop", id});
    auto result = attach->wait(20s);
    EXPECT_EQ(result.exitCode, 0) << result.describe();
}

TEST_F(SessionsTest, AttachRefusesInputWithNoInput) {
    cli->set("MAESTRO_API_URL", "http://127.0.0.1:9").set("MAESTRO_RETRIES", "0");
    auto result = cli->json({"session", "attach", "--input", "--no-input", "sess_x"});
    EXPECT_EQ(result.exitCode, 64) << result.describe();
    EXPECT_EQ(result.object()->getValue<std::string>("code"), "usage_error");
}

TEST_F(SessionsTest, AttachOnATerminalForwardsKeysFollowsItsSizeAndDetaches) {
    const auto id = spawn("echo");
    ASSERT_TRUE(waitForReady(id));
    auto attach = attachOnTerminal(id);
    const auto raw = attach->terminalMode();
    EXPECT_EQ(raw.c_lflag & (ICANON | ECHO | ISIG), 0u);

    // Keys go through one by one; Enter is a carriage return, which the session's own terminal
    // turns into the end of a line.
    attach->write("hi\r");
    EXPECT_TRUE(waitUntil([&] { return attach->out().find("got:hi") != std::string::npos; }, 20s))
        << attach->out();
    // The size it had at attach time, then the new one after a resize (sent on SIGWINCH, so
    // the question is asked again until the answer has changed).
    attach->write("size\r");
    EXPECT_TRUE(waitUntil([&] { return attach->out().find("24 80") != std::string::npos; }, 20s))
        << attach->out();
    attach->resizeTerminal(40, 120);
    EXPECT_TRUE(waitUntil(
        [&] {
            attach->write("size\r");
            return waitUntil([&] { return attach->out().find("40 120") != std::string::npos; },
                             500ms);
        },
        20s))
        << attach->out();

    detach(*attach, id);
    EXPECT_EQ(status(id), "running");
}

// Through the server, which goes away twice. Keys typed while the CLI waits to reconnect (for up
// to two minutes here) reach the session once it is back, and Ctrl-] detaches at once while the
// server is away.
TEST_F(SessionsTest, AttachOnATerminalWhileTheServerIsAway) {
    Subreaper reaper;
    const auto id = spawn("echo");
    ASSERT_TRUE(waitForReady(id));
    FaultProxy proxy(server->port());
    cli = std::make_unique<Cli>("http://127.0.0.1:" + std::to_string(proxy.port()));
    cli->set("MAESTRO_RETRIES", "1000");
    cli->set("MAESTRO_RETRY_DEADLINE", "120000");
    cli->set("MAESTRO_RETRY_DELAY", "50");
    auto attach = attachOnTerminal(id);
    const auto noted = [&](const std::string& text) {
        return waitUntil([&] { return attach->err().find(text) != std::string::npos; }, 20s);
    };

    server->stop();
    ASSERT_TRUE(noted("reconnecting")) << attach->err();
    attach->write("held\r");
    server->start();
    proxy.setTarget(server->port());
    ASSERT_TRUE(noted("reconnected")) << attach->err();
    EXPECT_TRUE(waitUntil([&] { return attach->out().find("got:held") != std::string::npos; }, 20s))
        << attach->out();
    attach->write("after\r");
    EXPECT_TRUE(
        waitUntil([&] { return attach->out().find("got:after") != std::string::npos; }, 20s))
        << attach->out();

    server->stop();
    EXPECT_TRUE(waitUntil(
        [&] {
            const auto err = attach->err();
            return err.find("reconnecting") != err.rfind("reconnecting");
        },
        20s))
        << attach->err();
    detach(*attach, id);

    server->start();
    EXPECT_EQ(status(id), "running") << "detaching leaves the session running";
    cli->set("MAESTRO_API_URL", server->baseUrl());
    ok({"session", "stop", id});
}

TEST_F(SessionsTest, AttachOnATerminalSendsCtrlCToTheSession) {
    const auto id = spawn("echo");
    ASSERT_TRUE(waitForReady(id));
    auto attach = attachOnTerminal(id);
    attach->write("\x03"); // the agent's interrupt, not attach's
    auto result = attach->wait(20s);
    EXPECT_EQ(result.exitCode, 0) << result.describe();
    EXPECT_TRUE(waitForStatus(id, "failed")) << status(id);
}

TEST_F(SessionsTest, AttachOnATerminalRestoresItWhenASignalEndsIt) {
    const auto id = spawn("echo");
    ASSERT_TRUE(waitForReady(id));
    for (int signal : {SIGTERM, SIGINT, SIGHUP}) {
        auto attach = attachOnTerminal(id);
        EXPECT_EQ(attach->terminalMode().c_lflag & ICANON, 0u);
        attach->signal(signal);
        auto result = attach->wait(20s);
        EXPECT_EQ(result.signal, signal) << result.describe();
        EXPECT_EQ(attach->terminalMode().c_lflag & (ICANON | ECHO), ICANON | ECHO) << signal;
    }
    EXPECT_EQ(status(id), "running");
}

// Attached straight to the session's holder under the Maestro home: the server plays no part.
TEST_F(SessionsTest, AttachWorksWhileTheServerIsDown) {
    Subreaper reaper;
    const auto id = spawn("echo");
    ASSERT_TRUE(waitForReady(id));
    server->kill();
    cli->set("MAESTRO_HOME", home.path().string());
    auto result =
        cli->runWithInput({"--json", "session", "attach", "--input", id}, "hello\nquit\n", 20s);
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    std::string data;
    std::int64_t next = 0;
    for (const auto& line : result.lines()) {
        EXPECT_EQ(line->getValue<std::int64_t>("offset"), next);
        data += line->getValue<std::string>("data");
        next += static_cast<std::int64_t>(line->getValue<std::string>("data").size());
    }
    EXPECT_EQ(data.find("ready"), 0u) << "from the first byte: " << data;
    EXPECT_NE(data.find("got:hello"), std::string::npos) << data;

    server->start();
    EXPECT_TRUE(waitForStatus(id, "completed")) << "the next server records the exit";
}

TEST_F(SessionsTest, AttachOnATerminalThroughTheHolderFollowsItsSizeAndDetaches) {
    Subreaper reaper;
    const auto id = spawn("echo");
    ASSERT_TRUE(waitForReady(id));
    server->stop();
    cli->set("MAESTRO_HOME", home.path().string());
    auto attach = attachOnTerminal(id);
    attach->write("size\r");
    EXPECT_TRUE(waitUntil([&] { return attach->out().find("24 80") != std::string::npos; }, 20s))
        << attach->out();
    attach->resizeTerminal(40, 120);
    EXPECT_TRUE(waitUntil(
        [&] {
            attach->write("size\r");
            return waitUntil([&] { return attach->out().find("40 120") != std::string::npos; },
                             500ms);
        },
        20s))
        << attach->out();
    detach(*attach, id);

    server->start();
    cli->set("MAESTRO_API_URL", server->baseUrl());
    EXPECT_EQ(status(id), "running") << "detaching leaves the session running";
    ok({"session", "stop", id});
}

TEST_F(SessionsTest, UnknownSessionsAreRefused) {
    auto result = cli->json({"session", "get", "sess_nope"});
    EXPECT_EQ(result.exitCode, 65) << result.describe();
    EXPECT_EQ(result.object()->getValue<std::string>("code"), "session_not_found");
    auto spawnMissing = cli->json({"session", "spawn", "--task", "task_nope"});
    EXPECT_EQ(spawnMissing.exitCode, 65) << spawnMissing.describe();
}

// The inbox and answering it: an agent that asks (`maestro report needs-input` from inside its
// session) is an inbox item; `session input` answers it; `session screen` shows the terminal.
class InboxTest : public SessionsTest {
protected:
    InboxTest()
        : SessionsTest(std::string(R"({"agents":{"asks":{"command":")") + MAESTRO_FAKE_AGENT +
                       R"(","args":["asks"],"idleAfterMs":400}},"defaultAgent":"asks"})") {}
};

TEST_F(InboxTest, ListsTheAgentsQuestionAndSessionInputAnswersIt) {
    auto spawned = cli->json({"session", "spawn", "--task", taskId});
    ASSERT_EQ(spawned.exitCode, 0) << spawned.describe();
    auto id = spawned.object()->getValue<std::string>("sessionId");

    Poco::JSON::Array::Ptr items;
    ASSERT_TRUE(waitUntil(
        [&] {
            auto inbox = cli->json({"inbox"});
            if (inbox.exitCode != 0) return false;
            items = inbox.array();
            return items->size() == 1 &&
                   items->getObject(0)->getValue<std::string>("kind") == "needs_input";
        },
        20s));
    auto item = items->getObject(0);
    EXPECT_EQ(item->getValue<std::string>("sessionId"), id);
    EXPECT_EQ(item->getValue<std::string>("summary"), "Which DB?");

    auto text = cli->run({"inbox"});
    EXPECT_EQ(text.exitCode, 0) << text.describe();
    EXPECT_NE(text.out.find("needs_input"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("Which DB?"), std::string::npos) << text.out;

    auto answered = cli->run({"session", "input", id, "postgres", "please"});
    EXPECT_EQ(answered.exitCode, 0) << answered.describe();
    ASSERT_TRUE(waitUntil(
        [&] {
            auto screen = cli->run({"session", "screen", id});
            return screen.out.find("got postgres please") != std::string::npos;
        },
        20s));
    EXPECT_TRUE(waitUntil([&] { return cli->json({"inbox"}).array()->size() == 0; }, 20s));
    EXPECT_EQ(cli->run({"session", "input", "sess_nope", "x"}).exitCode, 65);
}

} // namespace
} // namespace maestro::test
