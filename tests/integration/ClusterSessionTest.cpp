// Sessions on three servers sharing one PostgreSQL database: a spawn runs on the node it names
// or its project is pinned to, and a session's terminal answers from every node (the node a
// client reaches forwards to the one that runs it, docs/scale-out.md).
#include "GitRepo.h"
#include "Processes.h"
#include "SessionSupport.h"
#include "TestDatabase.h"
#include "TestServer.h"
#include "WsClient.h"

#include <Poco/JSON/Parser.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::test;
namespace fs = std::filesystem;

namespace {

constexpr int kNodes = 3;

class ClusterSessionTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(work_.path());
        for (int i = 0; i < kNodes; ++i) {
            std::ofstream(homes_[i].path() / "config.json")
                << agentsConfig(R"(,"heartbeatMs":300,"nodeDownAfterMs":4000)");
            fs::create_directories(homes_[i].path() / "maestro-skills");
            start(i);
        }
        auto http = node(0).client();
        setup_ = projectWithTask(http, work_.path());
    }

    void start(int i, std::vector<std::string> extraArgs = {}) {
        TestServer::Options options;
        options.database = database_.url();
        options.args = {"--node-id", nodeId(i)};
        options.args.insert(options.args.end(), extraArgs.begin(), extraArgs.end());
        options.env = {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}};
        nodes_[i].reset();
        nodes_[i] = std::make_unique<TestServer>(homes_[i].path(), options);
    }

    static std::string nodeId(int i) { return "node" + std::to_string(i); }
    TestServer& node(int i) { return *nodes_[i]; }
    HttpClient client(int i) { return node(i).client(); }
    bool ranOn(int i, const std::string& sessionId) {
        return fs::exists(homes_[i].path() / "sessions" / sessionId / "holder.info");
    }

    Subreaper reaper_; // holders a killed node leaves behind end as children of the test
    TestDatabase database_{TestBackend::Postgres};
    TempDir work_;
    TempDir homes_[kNodes];
    std::unique_ptr<TestServer> nodes_[kNodes];
    maestro::test::Setup setup_;
};

// A client attached to one session's terminal, checking that its output arrives in order:
// each chunk starts where the one before ended.
struct Terminal {
    Terminal(TestServer& server, const std::string& sessionId, std::optional<std::int64_t> from)
        : ws(server.port()), id(sessionId) {
        ws.receive(); // connected
        std::string attach = R"({"type":"session:attach","sessionId":")" + id + "\"";
        if (from) attach += ",\"offset\":" + std::to_string(*from);
        ws.send(attach + "}");
        auto first = ws.receiveUntil([](const Poco::JSON::Object::Ptr& m) {
            return m->getValue<std::string>("type") == "session:output" ||
                   m->getValue<std::string>("type") == "error";
        });
        if (first && (*first)->getValue<std::string>("type") == "error")
            error = (*first)->getValue<std::string>("code");
        if (!first || !(*first)->optValue<bool>("scrollback", false)) return;
        start = next = (*first)->getValue<std::int64_t>("offset");
        seen = (*first)->getValue<std::string>("data");
        next += static_cast<std::int64_t>(seen.size());
        attached = true;
    }
    void type(const std::string& text) {
        ws.send(R"({"type":"session:input","sessionId":")" + id + R"(","data":)" + quote(text) +
                "}");
    }
    // Receives output until `needle` has been seen (or the deadline passed).
    bool waitFor(const std::string& needle) {
        return seen.find(needle) != std::string::npos ||
               ws.receiveUntil([&](const Poco::JSON::Object::Ptr& m) {
                     if (m->getValue<std::string>("type") != "session:output") return false;
                     EXPECT_EQ(m->getValue<std::int64_t>("offset"), next) << "no gap, no repeat";
                     auto data = m->getValue<std::string>("data");
                     seen += data;
                     next += static_cast<std::int64_t>(data.size());
                     return seen.find(needle) != std::string::npos;
                 }).has_value();
    }

    WsClient ws;
    std::string id;
    bool attached = false;
    std::string error; // the code, when the attach was refused
    std::int64_t start = 0, next = 0;
    std::string seen;
};

} // namespace

TEST_F(ClusterSessionTest, AClientOnAnotherNodeAttachesTypesAndSeesTheEcho) {
    auto http = client(0);
    auto id = spawn(http, setup_.task, "echo", R"(,"nodeId":"node1")");
    ASSERT_TRUE(waitForOutput(http, id, "ready"));

    Terminal terminal(node(0), id, std::nullopt);
    ASSERT_TRUE(terminal.attached);
    EXPECT_EQ(terminal.start, 0);
    EXPECT_NE(terminal.seen.find("ready"), std::string::npos) << terminal.seen;
    terminal.type("hello\n");
    EXPECT_TRUE(terminal.waitFor("got:hello")) << terminal.seen;
    terminal.ws.send(R"({"type":"session:resize","sessionId":")" + id +
                     R"(","cols":93,"rows":29})");
    terminal.type("size\n");
    EXPECT_TRUE(terminal.waitFor("29 93")) << terminal.seen;
    EXPECT_EQ(terminal.seen, output(http, id).substr(0, terminal.seen.size()));

    // A client on the third node resumes from an offset: it gets exactly what follows it,
    // then live output, while the first one goes on.
    Terminal resumed(node(2), id, 6);
    ASSERT_TRUE(resumed.attached);
    EXPECT_EQ(resumed.start, 6);
    resumed.type("again\n");
    EXPECT_TRUE(resumed.waitFor("got:again")) << resumed.seen;
    EXPECT_TRUE(terminal.waitFor("got:again")) << terminal.seen;
    auto all = output(http, id);
    EXPECT_EQ(resumed.seen, all.substr(6, resumed.seen.size()));
    EXPECT_EQ(terminal.seen, all.substr(0, terminal.seen.size()));
}

TEST_F(ClusterSessionTest, ASpawnNamingAnotherNodeRunsThereAndAnswersFromEveryNode) {
    auto http = client(0);
    auto id = spawn(http, setup_.task, "echo", R"(,"nodeId":"node1")");
    EXPECT_TRUE(ranOn(1, id));
    EXPECT_FALSE(ranOn(0, id));
    for (int i = 0; i < kNodes; ++i) {
        auto other = client(i);
        EXPECT_EQ(session(other, id)->getValue<std::string>("nodeId"), "node1") << "node " << i;
    }

    auto typing = client(2);
    ASSERT_TRUE(waitForOutput(typing, id, "ready"));
    auto input = typing.post("/api/sessions/" + id + "/input", R"({"data":"hello\n"})");
    EXPECT_EQ(input.status, 200) << input.body;
    auto reading = client(0);
    EXPECT_TRUE(waitForOutput(reading, id, "got:hello")) << output(reading, id);

    auto resize = typing.post("/api/sessions/" + id + "/resize", R"({"cols":91,"rows":27})");
    EXPECT_EQ(resize.status, 200) << resize.body;
    typing.post("/api/sessions/" + id + "/input", R"({"data":"size\n"})");
    EXPECT_TRUE(waitForOutput(reading, id, "27 91")) << output(reading, id);

    auto slice = client(2).get("/api/sessions/" + id + "/output?since=6").object();
    auto direct = client(1).get("/api/sessions/" + id + "/output?since=6").object();
    EXPECT_EQ(slice->getValue<std::int64_t>("start"), 6);
    EXPECT_EQ(slice->getValue<std::string>("data"), direct->getValue<std::string>("data"));

    auto stop = client(2).post("/api/sessions/" + id + "/stop", "");
    ASSERT_EQ(stop.status, 200) << stop.body;
    EXPECT_EQ(stop.object()->getValue<std::string>("status"), "stopped");
    auto again = client(0).post("/api/sessions/" + id + "/stop", "");
    EXPECT_EQ(again.status, 409) << "the owner's answer, as it gave it: " << again.body;
    EXPECT_EQ(again.object()->getValue<std::string>("code"), "session_not_running");
}

TEST_F(ClusterSessionTest, ASpawnWithoutANodeRunsOnTheNodeThatTookIt) {
    auto http = client(2);
    auto id = spawn(http, setup_.task, "sleep");
    EXPECT_EQ(session(http, id)->getValue<std::string>("nodeId"), "node2");
    EXPECT_TRUE(ranOn(2, id));
}

TEST_F(ClusterSessionTest, AProjectPinnedToANodeSpawnsThereFromAnyNode) {
    auto http = client(0);
    auto pin = http.patch("/api/projects/" + setup_.project, R"({"nodeId":"node2"})");
    ASSERT_EQ(pin.status, 200) << pin.body;
    EXPECT_EQ(pin.object()->getValue<std::string>("nodeId"), "node2");

    auto id = spawn(http, setup_.task, "sleep");
    EXPECT_EQ(session(http, id)->getValue<std::string>("nodeId"), "node2");
    EXPECT_TRUE(ranOn(2, id));

    auto elsewhere = http.post("/api/sessions/spawn", R"({"taskId":")" + setup_.task +
                                                          R"(","agent":"sleep","nodeId":"node1"})");
    EXPECT_EQ(elsewhere.status, 409) << elsewhere.body;
    EXPECT_EQ(elsewhere.object()->getValue<std::string>("code"), "node_conflict");
}

namespace {

// An MCP client of one node (tools/call over plain HTTP, docs/api.md "MCP"): the call's result.
Poco::JSON::Object::Ptr callTool(HttpClient& http, const std::string& tool,
                                 const std::string& arguments,
                                 const std::optional<std::string>& session = std::nullopt) {
    Headers headers{{"Accept", "application/json, text/event-stream"}};
    if (session) headers.emplace_back("X-Maestro-Session", *session);
    auto init = http.post("/mcp",
                          R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{)"
                          R"("protocolVersion":"2025-06-18","capabilities":{},)"
                          R"("clientInfo":{"name":"cluster-test","version":"1"}}})",
                          headers);
    EXPECT_EQ(init.status, 200) << init.body;
    headers.emplace_back("Mcp-Session-Id", init.header("Mcp-Session-Id"));
    http.post("/mcp", R"({"jsonrpc":"2.0","method":"notifications/initialized"})", headers);
    auto call = http.post("/mcp",
                          R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":")" +
                              tool + R"(","arguments":)" + arguments + "}}",
                          headers);
    EXPECT_EQ(call.status, 200) << call.body;
    return call.object()->getObject("result");
}

} // namespace

TEST_F(ClusterSessionTest, AnMcpSpawnForAProjectPinnedToAnotherNodeRunsThere) {
    auto http = client(0);
    ASSERT_EQ(http.patch("/api/projects/" + setup_.project, R"({"nodeId":"node2"})").status, 200);
    auto spawnArgs = [&](const std::string& agent) {
        return R"({"taskIds":[")" + setup_.task + R"("],"agent":")" + agent + "\"}";
    };

    auto result = callTool(http, "session_spawn", spawnArgs("sleep"));
    ASSERT_FALSE(result->getValue<bool>("isError"))
        << result->getArray("content")->getObject(0)->getValue<std::string>("text");
    auto parent = result->getObject("structuredContent")->getValue<std::string>("sessionId");
    EXPECT_EQ(session(http, parent)->getValue<std::string>("nodeId"), "node2");
    EXPECT_TRUE(ranOn(2, parent));

    // Called by that session: the child runs on node2 too, with its parent link.
    auto child = callTool(http, "session_spawn", spawnArgs("sleep"), parent);
    ASSERT_FALSE(child->getValue<bool>("isError"));
    auto childId = child->getObject("structuredContent")->getValue<std::string>("sessionId");
    EXPECT_TRUE(ranOn(2, childId));
    EXPECT_EQ(session(http, childId)->getValue<std::string>("parentSessionId"), parent);

    // node2's refusal is the tool's error, with node2's status and code.
    auto refused = callTool(http, "session_spawn", spawnArgs("no-such-agent"));
    ASSERT_TRUE(refused->getValue<bool>("isError"));
    Poco::JSON::Parser parser;
    auto error =
        parser.parse(refused->getArray("content")->getObject(0)->getValue<std::string>("text"))
            .extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(error->getValue<int>("statusCode"), 400);
    EXPECT_EQ(error->getValue<std::string>("code"), "unknown_agent");
    EXPECT_EQ(http.get("/api/sessions").header("X-Total-Count"), "2");
}

TEST_F(ClusterSessionTest, AWorktreeIsReadAndMergedThroughItsNodeFromAnyNode) {
    auto repo = GitRepo::init(work_.path() / "repo");
    repo.write("shared.txt", "one\n");
    repo.commit("initial");
    auto http = client(0);
    auto project = http.post("/api/projects",
                             R"({"name":"Repo","workingDir":)" + quote(repo.dir().string()) + "}");
    ASSERT_EQ(project.status, 201) << project.body;
    auto projectId = project.object()->getValue<std::string>("id");
    ASSERT_EQ(http.patch("/api/projects/" + projectId, R"({"nodeId":"node2"})").status, 200);
    auto task = http.createTask(projectId, "Edit");
    auto id = spawn(http, task, "sleep");
    ASSERT_TRUE(ranOn(2, id));
    auto worktree = session(http, id)->getObject("worktree");
    ASSERT_TRUE(worktree) << "no worktree";
    std::ofstream(fs::path(worktree->getValue<std::string>("path")) / "new.txt") << "from node2\n";

    // Asked on node0, answered by node2, whose disk the worktree is on.
    auto changes = http.get("/api/sessions/" + id + "/changes");
    ASSERT_EQ(changes.status, 200) << changes.body;
    EXPECT_EQ(changes.object()->getValue<int>("fileCount"), 1);
    auto diff = http.get("/api/sessions/" + id + "/diff?path=new.txt");
    ASSERT_EQ(diff.status, 200) << diff.body;
    EXPECT_EQ(diff.header("content-type"), "text/x-diff");
    EXPECT_NE(diff.body.find("+from node2"), std::string::npos) << diff.body;
    // Refused by node2 as it would be there: the session is live.
    auto live = http.post("/api/sessions/" + id + "/merge", "{}");
    EXPECT_EQ(live.status, 409) << live.body;
    EXPECT_EQ(live.object()->getValue<std::string>("code"), "session_live");
    // Bad input is refused here, before any node is asked.
    EXPECT_EQ(http.post("/api/sessions/" + id + "/merge", R"({"strategy":"rebase"})").status, 400);

    auto merged = http.post("/api/sessions/" + id + "/merge", R"({"force":true})");
    ASSERT_EQ(merged.status, 200) << merged.body;
    EXPECT_EQ(repo.read("new.txt"), "from node2\n");
    EXPECT_EQ(session(http, id)->getObject("worktree")->getValue<std::string>("state"), "merged");

    // With node2 down, node0 cannot answer for its worktree in its stead.
    auto other = spawn(http, task, "sleep");
    ASSERT_TRUE(ranOn(2, other));
    ASSERT_EQ(node(2).stop(), 0);
    auto down = http.get("/api/sessions/" + other + "/changes");
    EXPECT_EQ(down.status, 503) << down.body;
    EXPECT_EQ(down.object()->getValue<std::string>("code"), "node_unavailable");
}

TEST_F(ClusterSessionTest, ASpawnForAnUnknownOrStoppedNodeIsRefusedAndStoresNothing) {
    auto http = client(0);
    auto body = [&](const std::string& node) {
        return R"({"taskId":")" + setup_.task + R"(","agent":"sleep","nodeId":")" + node + "\"}";
    };
    auto unknown = http.post("/api/sessions/spawn", body("node9"));
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    EXPECT_EQ(unknown.object()->getValue<std::string>("code"), "node_not_found");
    auto invalid = http.post("/api/sessions/spawn", body("no de"));
    EXPECT_EQ(invalid.status, 400) << invalid.body;

    ASSERT_EQ(node(2).stop(), 0);
    auto stopped = http.post("/api/sessions/spawn", body("node2"));
    EXPECT_EQ(stopped.status, 503) << stopped.body;
    EXPECT_EQ(stopped.reason, "Service Unavailable");
    EXPECT_EQ(stopped.object()->getValue<std::string>("code"), "node_unavailable");
    EXPECT_EQ(http.get("/api/sessions").header("X-Total-Count"), "0");
}

TEST_F(ClusterSessionTest, ARequestWithAWrongClusterSecretIsRefused) {
    auto wrong = client(0).get("/api/projects", {{"X-Maestro-Cluster", "not-the-secret"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.object()->getValue<std::string>("code"), "unauthorized");
}

TEST_F(ClusterSessionTest, AKilledNodesSessionsAreLostAndRunAgainWhenItComesBack) {
    auto http = client(0);
    auto onB = spawn(http, setup_.task, "echo", R"(,"nodeId":"node1")");
    auto onC = spawn(http, setup_.task, "echo", R"(,"nodeId":"node2")");
    ASSERT_TRUE(waitForOutput(http, onB, "ready"));
    ASSERT_TRUE(waitForOutput(http, onC, "ready"));
    Terminal terminal(node(0), onC, std::nullopt); // follows it across the node's absence
    ASSERT_TRUE(terminal.attached);

    node(2).kill(); // its holders go on running the sessions
    auto lostAt = std::chrono::steady_clock::now();
    ASSERT_TRUE(waitForStatus(http, onC, "lost", std::chrono::seconds(15)))
        << session(http, onC)->getValue<std::string>("status");
    EXPECT_LT(std::chrono::steady_clock::now() - lostAt, std::chrono::seconds(15));
    auto lost = session(http, onC);
    EXPECT_NE(lost->getObject("metadata")->getValue<std::string>("lostReason").find("node2"),
              std::string::npos);
    EXPECT_TRUE(lost->isNull("completedAt")) << "lost is not ended";
    auto events = http.get("/api/events?limit=1000").body;
    EXPECT_NE(events.find(R"("status":"lost")"), std::string::npos)
        << "announced like any session change";

    // The other nodes keep serving, their sessions too.
    EXPECT_EQ(session(http, onB)->getValue<std::string>("status"), "running");
    auto typing = client(1);
    EXPECT_EQ(client(0).post("/api/sessions/" + onB + "/input", R"({"data":"still\n"})").status,
              200);
    EXPECT_TRUE(waitForOutput(typing, onB, "got:still"));
    Terminal refused(node(0), onC, std::nullopt);
    EXPECT_EQ(refused.error, "session_not_found") << "no terminal while its node is away";
    auto unreachable = http.post("/api/sessions/" + onC + "/input", R"({"data":"x\n"})");
    EXPECT_EQ(unreachable.status, 503) << unreachable.body;
    EXPECT_EQ(unreachable.object()->getValue<std::string>("code"), "node_unavailable");

    start(2); // on another port: the others find it by its advertised URL
    EXPECT_TRUE(waitForStatus(http, onC, "running", std::chrono::seconds(15)))
        << session(http, onC)->getValue<std::string>("status");
    EXPECT_TRUE(session(http, onC)->getObject("metadata")->isNull("lostReason"));
    EXPECT_EQ(http.post("/api/sessions/" + onC + "/input", R"({"data":"back\n"})").status, 200);
    EXPECT_TRUE(waitForOutput(http, onC, "got:back")) << output(http, onC);
    EXPECT_TRUE(terminal.waitFor("got:back")) << terminal.seen;
    EXPECT_EQ(terminal.seen, output(http, onC).substr(0, terminal.seen.size()));
}

TEST_F(ClusterSessionTest, ANodeThatCannotBeReachedIsReportedNotWaitedFor) {
    node(2).stop();
    start(2, {"--advertise-url", "http://127.0.0.1:1"}); // up, but nobody can reach it there
    auto onC = client(2);
    auto id = spawn(onC, setup_.task, "echo");
    ASSERT_TRUE(waitForOutput(onC, id, "ready"));

    auto http = client(0);
    auto input = http.post("/api/sessions/" + id + "/input", R"({"data":"x\n"})");
    EXPECT_EQ(input.status, 503) << input.body;
    EXPECT_EQ(input.object()->getValue<std::string>("code"), "node_unavailable");
    auto started = std::chrono::steady_clock::now();
    Terminal terminal(node(0), id, std::nullopt);
    EXPECT_EQ(terminal.error, "session_not_found");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8))
        << "refused once the link failed, not at the client's deadline";
}
