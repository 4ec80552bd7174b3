// The three default skills, as built into ${CMAKE_BINARY_DIR}/skills, against a fake server.
#include "SkillTestSupport.h"
#include "skillhost/SkillRegistry.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sstream>

namespace {

using namespace maestro::skillhost;
using namespace maestro::test;

const std::string kTask =
    R"({"id":"task_1","projectId":"proj_1","title":"Ship login","description":"Build the login page.",
        "status":"todo","priority":"high","dependencies":["task_0"],"sessionIds":[]})";
const std::string kSubtasks =
    R"([{"id":"task_2","title":"Form","status":"completed","sessionIds":["sess_w1"]},
        {"id":"task_3","title":"Validation","status":"blocked","blockedReason":"need rules","sessionIds":[]}])";
const std::string kWorktree = R"({"path":"/home/u/.agents-ui/worktrees/proj_1/sess_w",
    "branch":"maestro/ship-login-w","base":"main","baseCommit":"abc","state":"active"})";

// The template context (docs/skills.md) of task_1 for `role`, in a session with `worktree`.
std::string briefContext(const std::string& role, const std::string& worktree = "null") {
    return R"({"role":")" + role + R"(","session":{"id":"sess_1","name":"w1",
        "parentSessionId":"sess_0","worktree":)" +
           worktree + R"(},"project":{"id":"proj_1","name":"Shop","workingDir":"/src/shop"},
        "task":)" +
           kTask + R"(,"tasks":[)" + kTask + R"(],"subtasks":)" + kSubtasks +
           R"(,"dependencies":[{"id":"task_0","title":"Design","status":"completed"}],
        "apiUrl":"http://127.0.0.1:3999","skills":["maestro-cli","maestro-worker"],"context":{}})";
}

// What GET /api/tasks/task_1/brief answers: the server renders the brief.
std::string briefResponse(const std::string& role, const std::string& text) {
    return R"({"taskId":"task_1","role":")" + role + R"(","sessionId":null,"context":)" +
           briefContext(role) + R"(,"brief":")" + text + R"("})";
}

const std::map<std::string, std::string> kServer{
    {"/api/tasks/task_1/brief?role=worker", briefResponse("worker", "the worker brief\\n")},
    {"/api/tasks/task_1/brief?role=worker&sessionId=sess_w",
     briefResponse("worker", "the brief of sess_w")},
    {"/api/tasks/task_1/brief?role=orchestrator",
     briefResponse("orchestrator", "the orchestrator brief")},
};

class DefaultSkillsTest : public ::testing::Test, public RegistryFixture {
protected:
    DefaultSkillsTest() {
        for (const char* id : {"maestro-cli", "maestro-worker", "maestro-orchestrator"}) {
            fs::copy(fs::path(kDefaultSkillsDir) / id, root / id, fs::copy_options::recursive);
        }
        services->setConfig("apiUrl", "http://127.0.0.1:3999");
        services->setConfig("cliPath", "/opt/maestro/bin/maestro");
        services->onApi([this](std::string_view method, std::string_view path,
                               std::string_view) -> TestHost::ApiResponse {
            if (unreachable_) throw std::runtime_error("connection refused");
            if (method == "PATCH") return {200, "{}"};
            const auto it = kServer.find(std::string(path));
            if (it == kServer.end()) {
                return {404, R"({"error":true,"statusCode":404,"code":"task_not_found",
                                 "message":"no such task"})"};
            }
            return {200, it->second};
        });
        registry_ = makeRegistry();
        registry_->rescan();
    }

    std::tuple<int, std::string, std::string> run(const std::string& path,
                                                  const std::vector<std::string>& args,
                                                  const std::string& context = "{}") {
        std::ostringstream out;
        std::ostringstream err;
        const auto code = registry_->runCommand(path, args, out, err, context);
        return {code.value_or(-1), out.str(), err.str()};
    }

    std::unique_ptr<SkillRegistry> registry_;
    bool unreachable_ = false;
};

TEST_F(DefaultSkillsTest, AllThreeLoadWithTheirCommands) {
    for (const char* id : {"maestro-cli", "maestro-worker", "maestro-orchestrator"}) {
        const auto info = registry_->get(id);
        ASSERT_TRUE(info) << id;
        EXPECT_EQ(info->status, SkillStatus::Loaded) << id << ": " << info->reason;
        EXPECT_FALSE(info->instructions.empty()) << id;
    }
    EXPECT_EQ(registry_->get("maestro-worker")->commands.at(0).path, "worker init");
    EXPECT_EQ(registry_->get("maestro-orchestrator")->commands.size(), 2u);
}

TEST_F(DefaultSkillsTest, WorkerInitPrintsTheServersBriefAndMarksTaskInProgress) {
    const auto [code, out, err] = run("worker init", {}, R"({"taskId":"task_1"})");
    ASSERT_EQ(code, 0) << err;
    EXPECT_EQ(out, "the worker brief\n");
    EXPECT_EQ(err, "maestro: task task_1 is now in progress\n");
    const auto calls = services->calls();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls.front().path, "/api/tasks/task_1/brief?role=worker");
    EXPECT_EQ(calls.back().method, "PATCH");
    EXPECT_EQ(calls.back().path, "/api/tasks/task_1");
    EXPECT_EQ(calls.back().body, R"({"status":"in_progress"})");
}

TEST_F(DefaultSkillsTest, WorkerInitAsksForItsSessionsBrief) {
    const auto [code, out, err] =
        run("worker init", {}, R"({"taskId":"task_1","sessionId":"sess_w"})");
    ASSERT_EQ(code, 0) << err;
    EXPECT_EQ(out, "the brief of sess_w");
}

TEST_F(DefaultSkillsTest, WorkerInitTakesTaskArgument) {
    EXPECT_EQ(std::get<0>(run("worker init", {"task_1"})), 0);
}

TEST_F(DefaultSkillsTest, WorkerInitMapsFailuresToExitCodes) {
    ::unsetenv("MAESTRO_TASK_ID");
    EXPECT_EQ(run("worker init", {}),
              std::make_tuple(64, std::string(),
                              std::string("error: no task: pass TASK or set MAESTRO_TASK_ID\n")));
    EXPECT_EQ(run("worker init", {"task_9"}),
              std::make_tuple(65, std::string(),
                              std::string("error: GET /api/tasks/task_9/brief?role=worker failed "
                                          "with HTTP 404: no such task\n")));
    unreachable_ = true;
    EXPECT_EQ(std::get<0>(run("worker init", {"task_1"})), 69);
}

TEST_F(DefaultSkillsTest, WorkerBriefShowsTheTaskAndWhatSurroundsIt) {
    const auto parts = registry_->renderTemplates("worker", briefContext("worker"));
    ASSERT_FALSE(parts.empty());
    const auto& out = parts.back().text;
    EXPECT_NE(out.find("# Your task: Ship login"), std::string::npos) << out;
    EXPECT_NE(out.find("Build the login page."), std::string::npos);
    EXPECT_NE(out.find("- [completed] `task_2` Form"), std::string::npos) << out;
    EXPECT_NE(out.find("- [blocked] `task_3` Validation (blocked: need rules)"), std::string::npos);
    EXPECT_NE(out.find("- [completed] `task_0` Design"), std::string::npos);
    EXPECT_NE(out.find("Project: Shop, working directory `/src/shop`."), std::string::npos);
    EXPECT_NE(out.find("maestro task block --reason"), std::string::npos);
    EXPECT_EQ(out.find("## Your branch"), std::string::npos) << out;
}

TEST_F(DefaultSkillsTest, WorkerBriefNamesTheSessionsBranchWhenItHasAWorktree) {
    const auto parts = registry_->renderTemplates("worker", briefContext("worker", kWorktree));
    ASSERT_FALSE(parts.empty());
    const auto& out = parts.back().text;
    EXPECT_NE(out.find("## Your branch"), std::string::npos) << out;
    EXPECT_NE(out.find("`maestro/ship-login-w`"), std::string::npos) << out;
    EXPECT_NE(out.find("`/home/u/.agents-ui/worktrees/proj_1/sess_w`"), std::string::npos) << out;
    EXPECT_NE(out.find("git commit"), std::string::npos) << out;
}

TEST_F(DefaultSkillsTest, OrchestratorPlanShowsSubtasksAndSessions) {
    const auto [code, out, err] = run("orchestrator plan", {"task_1"});
    ASSERT_EQ(code, 0) << err;
    EXPECT_EQ(out, "Ship login `task_1` [todo]\n"
                   "  - [completed] task_2  Form  sessions: sess_w1\n"
                   "  - [blocked] task_3  Validation  (blocked: need rules)  no session\n"
                   "2 subtasks: 1 completed, 0 in progress, 1 blocked, 0 to do, 1 with a "
                   "session\n");
    for (const auto& call : services->calls())
        EXPECT_NE(call.method, "PATCH");
}

TEST_F(DefaultSkillsTest, OrchestratorInitPrintsTheServersBrief) {
    const auto [code, out, err] = run("orchestrator init", {"task_1"});
    ASSERT_EQ(code, 0) << err;
    EXPECT_EQ(out, "the orchestrator brief");
}

TEST_F(DefaultSkillsTest, OrchestratorBriefShowsThePlan) {
    const auto parts = registry_->renderTemplates("orchestrator", briefContext("orchestrator"));
    ASSERT_FALSE(parts.empty());
    const auto& out = parts.back().text;
    EXPECT_NE(out.find("# Orchestrate: Ship login"), std::string::npos) << out;
    EXPECT_NE(out.find("- [completed] `task_2` Form (sessions: `sess_w1`)"), std::string::npos)
        << out;
    EXPECT_NE(out.find("- [blocked] `task_3` Validation (blocked: need rules) (no worker yet)"),
              std::string::npos);
    EXPECT_NE(out.find("maestro session spawn --task SUBTASK --role worker"), std::string::npos);
}

TEST_F(DefaultSkillsTest, WorkerBriefStartsWithTheCliTemplates) {
    const auto parts = registry_->renderTemplates("worker", briefContext("worker"));
    std::vector<std::string> order;
    for (const auto& part : parts) {
        EXPECT_TRUE(part.error.empty()) << part.error;
        order.push_back(part.skillId + "/" + part.templateId);
    }
    EXPECT_EQ(order, (std::vector<std::string>{"maestro-cli/session-context",
                                               "maestro-cli/command-reference",
                                               "maestro-worker/worker-brief"}));
    EXPECT_NE(parts[0].text.find("Maestro **worker** session `sess_1` (\"w1\")"), std::string::npos)
        << parts[0].text;
    EXPECT_NE(parts[0].text.find("spawned by session `sess_0`"), std::string::npos);
    EXPECT_NE(parts[0].text.find("`MAESTRO_SKILLS`: `maestro-cli` `maestro-worker`"),
              std::string::npos);
    EXPECT_EQ(parts[1].text, readFile(root / "maestro-cli" / "skill.md"));
    EXPECT_NE(parts[2].text.find("# Your task: Ship login"), std::string::npos);

    std::vector<std::string> orchestrator;
    for (const auto& part : registry_->renderTemplates("orchestrator", briefContext("worker"))) {
        orchestrator.push_back(part.skillId + "/" + part.templateId);
    }
    EXPECT_EQ(orchestrator.back(), "maestro-orchestrator/orchestrator-brief");
}

TEST_F(DefaultSkillsTest, CliHookPutsMaestroOnPathAndSetsApiUrl) {
    SpawnPlan plan;
    plan.command = "claude";
    plan.env = {{"PATH", "/usr/bin:/bin"}, {"MAESTRO_ROLE", "worker"}};
    const auto outcome = registry_->runSpawnHooks("worker", plan);
    ASSERT_TRUE(outcome.allowed()) << outcome.reason;
    EXPECT_EQ(plan.env["PATH"], "/opt/maestro/bin:/usr/bin:/bin");
    EXPECT_EQ(plan.env["MAESTRO_API_URL"], "http://127.0.0.1:3999");
    EXPECT_EQ(plan.env["MAESTRO_ROLE"], "worker");

    // Idempotent: running the hooks on their own result does not add the folder twice.
    auto again = plan;
    EXPECT_TRUE(registry_->runSpawnHooks("worker", again).allowed());
    EXPECT_EQ(toJson(again), toJson(plan));
}

} // namespace
