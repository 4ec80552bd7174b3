#include "skillhost/SkillRegistry.h"

#include "SkillTestSupport.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sstream>

namespace {

using namespace maestro::skillhost;
using namespace maestro::test;

const char* const kContext = R"({"role":"worker","task":{"id":"task_1","title":"Fix it"}})";

class SkillRegistryTest : public ::testing::Test, public RegistryFixture {
protected:
    // Runs a command, returning {exit code, stdout, stderr}; exit -1 when unknown.
    std::tuple<int, std::string, std::string> run(SkillRegistry& registry, const std::string& path,
                                                  const std::vector<std::string>& args = {}) {
        std::ostringstream out;
        std::ostringstream err;
        const auto code = registry.runCommand(path, args, out, err, R"({"sessionId":"s1"})");
        return {code.value_or(-1), out.str(), err.str()};
    }
};

TEST_F(SkillRegistryTest, LoadsSkillAndDescribesWhatItRegistered) {
    const fs::path dir = copyFixture("good", root);
    auto registry = makeRegistry();
    const auto changes = registry->rescan();
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, ChangeKind::Loaded);
    EXPECT_EQ(changes[0].id, "good");
    EXPECT_EQ(eventType(changes[0].kind), "skill:loaded");

    const auto info = registry->get("good");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->status, SkillStatus::Loaded) << info->reason;
    EXPECT_EQ(info->name, "Good fixture");
    EXPECT_EQ(info->version, "1.0.0");
    EXPECT_EQ(info->dir, dir);
    EXPECT_EQ(info->instructions, "# Good fixture\n\nInstructions of the good fixture.\n");
    ASSERT_EQ(info->commands.size(), 4u);
    EXPECT_EQ(info->commands[0].path, "good hello");
    ASSERT_EQ(info->commands[0].options.size(), 1u);
    EXPECT_EQ(info->commands[0].options[0].name, "NAME");
    ASSERT_EQ(info->templates.size(), 2u);
    EXPECT_EQ(info->templates[0].id, "brief");
    EXPECT_FALSE(info->templates[0].dynamic);
    EXPECT_TRUE(info->templates[1].dynamic);
    ASSERT_EQ(info->hooks.size(), 2u);
    EXPECT_EQ(info->hooks[0].id, "env");
    EXPECT_EQ(info->hooks[0].order, 10);

    const auto json = toJson(*info);
    EXPECT_EQ(json->getValue<std::string>("status"), "loaded");
    EXPECT_EQ(json->getArray("commands")->size(), 4u);
}

TEST_F(SkillRegistryTest, RescanReportsNothingWhenNothingChanged) {
    copyFixture("good", root);
    auto registry = makeRegistry();
    EXPECT_EQ(registry->rescan().size(), 1u);
    EXPECT_TRUE(registry->rescan().empty());
}

TEST_F(SkillRegistryTest, RunsCommandWithArgumentsAndContext) {
    copyFixture("good", root);
    auto registry = makeRegistry();
    registry->rescan();
    const auto [code, out, err] = run(*registry, "good hello", {"a", "b"});
    EXPECT_EQ(code, 0);
    EXPECT_EQ(out, "hello from good v1 a b\n");
    EXPECT_EQ(err, "context {\"sessionId\":\"s1\"}\n");
}

TEST_F(SkillRegistryTest, ReturnsNothingForUnknownCommand) {
    copyFixture("good", root);
    auto registry = makeRegistry();
    registry->rescan();
    std::ostringstream out;
    EXPECT_FALSE(registry->runCommand("good bye", {}, out, out, "{}"));
}

TEST_F(SkillRegistryTest, ContainsCommandThatThrows) {
    copyFixture("good", root);
    auto registry = makeRegistry();
    registry->rescan();
    const auto [code, out, err] = run(*registry, "good throw");
    EXPECT_EQ(code, 70);
    EXPECT_EQ(err, "error: command exploded\n");
    // The host keeps working: the same skill still answers.
    EXPECT_EQ(std::get<0>(run(*registry, "good hello")), 0);
}

TEST_F(SkillRegistryTest, CommandReachesHostServices) {
    copyFixture("good", root);
    services->setConfig("apiUrl", "http://127.0.0.1:4000");
    auto registry = makeRegistry();
    registry->rescan();
    EXPECT_EQ(run(*registry, "good api"),
              std::make_tuple(0, std::string(R"(200 {"pong":true})"), std::string()));
    ASSERT_EQ(services->calls().size(), 1u);
    EXPECT_EQ(services->calls()[0].method, "GET");
    EXPECT_EQ(services->calls()[0].path, "/api/ping");
    EXPECT_EQ(std::get<1>(run(*registry, "good config")), "http://127.0.0.1:4000");
}

TEST_F(SkillRegistryTest, CommandSeesUnreachableApiAsError) {
    copyFixture("good", root);
    services->onApi([](auto, auto, auto) -> TestHost::ApiResponse {
        throw std::runtime_error("connection refused");
    });
    auto registry = makeRegistry();
    registry->rescan();
    const auto [code, out, err] = run(*registry, "good api");
    EXPECT_EQ(code, 70);
    EXPECT_EQ(err, "error: connection refused\n");
}

TEST_F(SkillRegistryTest, RendersTemplatesCliFirstThenBySkillId) {
    copyFixture("good", root);
    copyFixture("minimal", root);
    writeFile(root / "maestro-cli" / "SKILL.md",
              "---\nname: maestro-cli\ndescription: CLI\n---\nCLI reference.\n");
    writeFile(root / "notes" / "manifest.json",
              R"({"id":"notes","name":"Notes","version":"1","roles":["worker"]})");
    writeFile(root / "notes" / "skill.md", "Take notes.\n");
    writeFile(root / "other" / "SKILL.md",
              "---\nname: other\ndescription: d\nroles: [qa]\n---\nQA\n");
    auto registry = makeRegistry();
    registry->rescan();

    const auto parts = registry->renderTemplates("worker", kContext);
    std::vector<std::string> order;
    for (const auto& part : parts) {
        EXPECT_TRUE(part.error.empty()) << part.error;
        order.push_back(part.skillId + "/" + part.templateId);
    }
    EXPECT_EQ(order, (std::vector<std::string>{"maestro-cli/skill.md", "good/brief", "good/dynamic",
                                               "minimal/reminder", "notes/skill.md"}));
    EXPECT_EQ(parts[0].text, "CLI reference.\n");
    EXPECT_EQ(parts[1].text, "Good brief for Fix it.\n");
    EXPECT_EQ(parts[2].text, "Dynamic for worker.");
    EXPECT_EQ(parts[3].text, "Before you finish Fix it, say hello with `maestro minimal hello`.\n");

    EXPECT_EQ(registry->renderBrief("worker", kContext),
              "CLI reference.\n\nGood brief for Fix it.\n\nDynamic for worker.\n\nBefore you "
              "finish Fix it, say hello with `maestro minimal hello`.\n\nTake notes.\n");
    EXPECT_THROW(registry->renderTemplates("worker", "{oops"), SkillError);
}

TEST_F(SkillRegistryTest, ListsSkillsForRole) {
    copyFixture("good", root);
    copyFixture("minimal", root);
    auto registry = makeRegistry();
    registry->rescan();
    std::vector<std::string> ids;
    for (const auto& info : registry->forRole("orchestrator"))
        ids.push_back(info.id);
    EXPECT_EQ(ids, std::vector<std::string>{"good"});
    EXPECT_EQ(registry->forRole("worker").size(), 2u);
}

TEST_F(SkillRegistryTest, RunsSpawnHooksAndAppliesPatches) {
    copyFixture("good", root);
    auto registry = makeRegistry();
    registry->rescan();
    SpawnPlan plan;
    plan.command = "claude";
    plan.args = {"-p"};
    plan.cwd = "/w";
    plan.env = {{"A", "1"}};
    const auto outcome = registry->runSpawnHooks("worker", plan);
    ASSERT_TRUE(outcome.allowed()) << outcome.reason;
    EXPECT_EQ(plan.command, "claude");
    EXPECT_EQ(plan.args, (std::vector<std::string>{"-p", "--from-good"}));
    EXPECT_EQ(plan.cwd, "/w");
    EXPECT_EQ(plan.env, (std::map<std::string, std::string>{{"A", "1"}, {"GOOD_HOOK", "1"}}));
}

TEST_F(SkillRegistryTest, VetoStopsTheSpawnWithItsReason) {
    copyFixture("good", root);
    copyFixture("vetoes", root);
    auto registry = makeRegistry();
    registry->rescan();
    SpawnPlan plan;
    plan.command = "claude";
    const auto outcome = registry->runSpawnHooks("worker", plan);
    EXPECT_EQ(outcome.verdict, SpawnHookOutcome::Verdict::Vetoed);
    EXPECT_EQ(outcome.reason,
              "spawn vetoed by hook \"gate\" of skill \"vetoes\": workers are not allowed today");
    EXPECT_EQ(outcome.skillId, "vetoes");
    EXPECT_EQ(outcome.hookId, "gate");
    EXPECT_TRUE(registry->runSpawnHooks("orchestrator", plan).allowed());
}

TEST_F(SkillRegistryTest, ThrowingHookFailsTheSpawn) {
    copyFixture("good", root);
    auto registry = makeRegistry();
    registry->rescan();
    SpawnPlan plan;
    plan.command = "claude";
    const auto outcome = registry->runSpawnHooks("explode", plan);
    EXPECT_EQ(outcome.verdict, SpawnHookOutcome::Verdict::Failed);
    EXPECT_EQ(outcome.reason, "spawn hook \"explode\" of skill \"good\" failed: hook exploded");
}

TEST_F(SkillRegistryTest, UnloadsRemovedSkillAndItsPrivateCopy) {
    const fs::path dir = copyFixture("good", root);
    auto registry = makeRegistry();
    registry->rescan();
    ASSERT_EQ(mappedCopies("good"), 1);

    fs::remove_all(dir);
    const auto changes = registry->rescan();
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, ChangeKind::Unloaded);
    EXPECT_EQ(eventType(changes[0].kind), "skill:unloaded");
    EXPECT_FALSE(registry->get("good"));
    std::ostringstream out;
    EXPECT_FALSE(registry->runCommand("good hello", {}, out, out, "{}"));
    // -fno-gnu-unique lets dlclose really unmap the library.
    EXPECT_EQ(mappedCopies("good"), 0);
}

TEST_F(SkillRegistryTest, ReloadsChangedLibrary) {
    const fs::path dir = copyFixture("good", root);
    auto registry = makeRegistry();
    registry->rescan();
    EXPECT_EQ(std::get<1>(run(*registry, "good hello")), "hello from good v1\n");

    fs::copy_file(kGoodV2Library, dir / "fixture_good.so", fs::copy_options::overwrite_existing);
    const auto changes = registry->rescan();
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, ChangeKind::Reloaded);
    EXPECT_EQ(std::get<1>(run(*registry, "good hello")), "hello from good v2\n");
    EXPECT_EQ(mappedCopies("good"), 1);
}

TEST_F(SkillRegistryTest, ReloadsThroughCopiesInCacheDirWithoutMemoryCopies) {
    const fs::path dir = copyFixture("good", root);
    auto registry = makeRegistry(true, false);
    registry->rescan();
    ASSERT_EQ(std::distance(fs::directory_iterator(cache), fs::directory_iterator()), 1);
    EXPECT_EQ(fs::directory_iterator(cache)->path().filename().string().rfind("good-", 0), 0u);
    EXPECT_TRUE(isMapped(cache.string()));

    fs::copy_file(kGoodV2Library, dir / "fixture_good.so", fs::copy_options::overwrite_existing);
    registry->rescan();
    EXPECT_EQ(std::get<1>(run(*registry, "good hello")), "hello from good v2\n");
    EXPECT_EQ(std::distance(fs::directory_iterator(cache), fs::directory_iterator()), 1);

    fs::remove_all(dir);
    registry->rescan();
    EXPECT_FALSE(isMapped(cache.string()));
    EXPECT_TRUE(fs::is_empty(cache));
}

TEST_F(SkillRegistryTest, ReloadsById) {
    copyFixture("good", root);
    auto registry = makeRegistry();
    registry->rescan();
    const auto change = registry->reload("good");
    ASSERT_TRUE(change);
    EXPECT_EQ(change->kind, ChangeKind::Reloaded);
    EXPECT_EQ(std::get<0>(run(*registry, "good hello")), 0);
    EXPECT_FALSE(registry->reload("missing"));
}

TEST_F(SkillRegistryTest, KeepsFirstRootWhenIdsCollide) {
    const fs::path second = temp.path() / "second";
    copyFixture("minimal", root);
    copyFixture("minimal", second);
    SkillRegistry registry(services, RegistryOptions{{root, second}, cache, true});
    registry.rescan();
    const auto skills = registry.list();
    ASSERT_EQ(skills.size(), 2u);
    EXPECT_EQ(skills[0].status, SkillStatus::Loaded);
    EXPECT_EQ(skills[0].dir, root / "minimal");
    EXPECT_EQ(skills[1].status, SkillStatus::Rejected);
    EXPECT_EQ(skills[1].reason,
              "skill id \"minimal\" is already provided by " + (root / "minimal").string());
    EXPECT_EQ(registry.get("minimal")->status, SkillStatus::Loaded);
}

TEST_F(SkillRegistryTest, ListsInstructionOnlySkills) {
    writeFile(root / "style" / "SKILL.md",
              "---\nname: style\ndescription: House style\n---\nBe terse.\n");
    auto registry = makeRegistry();
    const auto changes = registry->rescan();
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, ChangeKind::Loaded);
    const auto info = registry->get("style");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->status, SkillStatus::Instructions);
    EXPECT_EQ(toString(info->status), "instructions");
    EXPECT_EQ(info->description, "House style");
    EXPECT_EQ(info->instructions, "Be terse.\n");
}

TEST_F(SkillRegistryTest, LazyRegistryLoadsOnlyTheSkillOfTheCommandRun) {
    copyFixture("good", root);
    copyFixture("minimal", root);
    auto registry = makeRegistry(false);
    registry->rescan();
    EXPECT_EQ(registry->get("good")->status, SkillStatus::Available);
    EXPECT_EQ(registry->get("minimal")->commands.at(0).path, "minimal hello");
    EXPECT_EQ(mappedCopies("minimal"), 0);

    const auto [code, out, err] = run(*registry, "minimal hello", {"you"});
    EXPECT_EQ(code, 0);
    EXPECT_EQ(out, "hello, you\n");
    EXPECT_EQ(registry->get("minimal")->status, SkillStatus::Loaded);
    EXPECT_EQ(registry->get("good")->status, SkillStatus::Available);
    EXPECT_EQ(mappedCopies("good"), 0);
}

TEST_F(SkillRegistryTest, SkillLogsReachHostServices) {
    copyFixture("minimal", root);
    auto registry = makeRegistry();
    registry->rescan();
    const auto logs = services->logs();
    EXPECT_NE(std::find(logs.begin(), logs.end(), "minimal: minimal skill loaded"), logs.end());
}

TEST(WritingASkillDoc, QuotesTheMinimalSkillSourceAndBuildVerbatim) {
    const std::string doc = readFile(kWritingASkillDoc);
    for (const char* file : {kMinimalSource, kMinimalCMakeLists}) {
        const std::string text = readFile(file);
        ASSERT_FALSE(text.empty()) << file;
        EXPECT_NE(doc.find(text), std::string::npos)
            << "docs/writing-a-skill.md must quote " << file;
    }
}

} // namespace
