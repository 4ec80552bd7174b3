#include "skillhost/SpawnPlan.h"

#include "skillhost/SkillError.h"

#include <gtest/gtest.h>

namespace {

using maestro::skillhost::SkillError;
using maestro::skillhost::SpawnPlan;

SpawnPlan samplePlan() {
    SpawnPlan plan;
    plan.sessionId = "sess_1";
    plan.projectId = "proj_1";
    plan.taskIds = {"task_1", "task_2"};
    plan.role = "worker";
    plan.agent = "claude";
    plan.command = "claude";
    plan.args = {"-p", "brief"};
    plan.cwd = "/work";
    plan.env = {{"MAESTRO_ROLE", "worker"}, {"PATH", "/usr/bin"}};
    plan.briefFile = "/home/sessions/sess_1/brief.md";
    plan.cols = 100;
    plan.rows = 30;
    plan.spawner = "server";
    return plan;
}

TEST(SpawnPlan, RendersEveryFieldInTheDocumentedOrder) {
    EXPECT_EQ(toJson(samplePlan()),
              R"({"sessionId":"sess_1","projectId":"proj_1","taskIds":["task_1","task_2"],)"
              R"("role":"worker","agent":"claude","command":"claude","args":["-p","brief"],)"
              R"("cwd":"/work","env":{"MAESTRO_ROLE":"worker","PATH":"/usr/bin"},)"
              R"("briefFile":"/home/sessions/sess_1/brief.md","cols":100,"rows":30,)"
              R"("spawner":"server"})");
}

TEST(SpawnPlan, PatchSetsAndRemovesEnvAppendsArgsAndMovesCwd) {
    auto plan = samplePlan();
    applyPatch(plan, R"({"env":{"A":"1","PATH":null},"args":["--more"],"cwd":"/elsewhere"})");
    EXPECT_EQ(plan.env,
              (std::map<std::string, std::string>{{"A", "1"}, {"MAESTRO_ROLE", "worker"}}));
    EXPECT_EQ(plan.args, (std::vector<std::string>{"-p", "brief", "--more"}));
    EXPECT_EQ(plan.cwd, "/elsewhere");
    EXPECT_EQ(plan.command, "claude");
}

TEST(SpawnPlan, BlankPatchChangesNothing) {
    auto plan = samplePlan();
    applyPatch(plan, " \n");
    EXPECT_EQ(toJson(plan), toJson(samplePlan()));
}

TEST(SpawnPlan, MalformedPatchThrowsAndLeavesThePlanAsItWas) {
    const char* patches[] = {
        "[]",
        "{oops",
        R"({"env":[]})",
        R"({"env":{"A":1}})",
        R"({"args":"x"})",
        R"({"args":[1]})",
        R"({"cwd":""})",
        R"({"env":{"A":"1"},"command":"rm"})",
    };
    for (const auto* patch : patches) {
        auto plan = samplePlan();
        EXPECT_THROW(applyPatch(plan, patch), SkillError) << patch;
        EXPECT_EQ(toJson(plan), toJson(samplePlan())) << patch;
    }
}

} // namespace
