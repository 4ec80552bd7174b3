// Skill commands: found from manifests, run in process by loading only their skill's library;
// a broken skill never breaks a built-in command.
#include "CliRunner.h"
#include "TestServer.h"

#include <fstream>
#include <gtest/gtest.h>

namespace maestro::test {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = MAESTRO_FIXTURE_SKILLS_DIR;
const fs::path kDefaults = MAESTRO_DEFAULT_SKILLS_DIR;
const fs::path kCrash = MAESTRO_CRASH_SKILL_DIR;
const fs::path kRefusing = MAESTRO_REFUSING_SKILL_DIR;

class SkillCommandsTest : public ::testing::Test {
protected:
    SkillCommandsTest() : cli(server.baseUrl()) {}

    Poco::JSON::Object::Ptr skillNamed(const Poco::JSON::Array::Ptr& skills,
                                       const std::string& id) {
        for (std::size_t i = 0; i < skills->size(); ++i) {
            auto skill = skills->getObject(static_cast<unsigned>(i));
            if (skill->getValue<std::string>("id") == id) return skill;
        }
        ADD_FAILURE() << "no skill " << id;
        return new Poco::JSON::Object;
    }

    void installBrokenManifest() {
        const auto dir = cli.home() / "maestro-skills" / "broken";
        fs::create_directories(dir);
        std::ofstream(dir / "manifest.json") << "{ this is not json";
    }

    TestServer server;
    Cli cli;
};

TEST_F(SkillCommandsTest, RunsACommandFromItsSkillLibrary) {
    cli.installSkill(kFixtures / "good");
    auto result = cli.run({"good", "hello", "a", "b"});
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    EXPECT_EQ(result.out, "hello from good v1 a b\n");
    // The skill receives the session context.
    EXPECT_NE(result.err.find("\"apiUrl\":\"" + server.baseUrl() + "\""), std::string::npos)
        << result.err;
}

TEST_F(SkillCommandsTest, SkillsSeeTheConfigurationAndCallTheApi) {
    cli.installSkill(kFixtures / "good");
    auto config = cli.run({"good", "config"});
    EXPECT_EQ(config.exitCode, 0) << config.describe();
    EXPECT_EQ(config.out, server.baseUrl());

    // GET /api/ping through the CLI's client: the server has no such route, and says so.
    auto api = cli.run({"good", "api"});
    EXPECT_EQ(api.exitCode, 65) << api.describe();
    EXPECT_EQ(api.out.rfind("404 ", 0), 0u) << api.out;
    EXPECT_NE(api.out.find("route_not_found"), std::string::npos);
}

TEST_F(SkillCommandsTest, WithJsonASkillCommandPrintsOneDocument) {
    cli.installSkill(kFixtures / "good");
    // The skill learns the output mode from its host configuration...
    EXPECT_EQ(cli.run({"good", "config", "output"}).out, "text");
    EXPECT_EQ(cli.run({"-q", "good", "config", "output"}).out, "quiet");

    // ...and a JSON document it writes is printed as it is.
    auto own = cli.json({"good", "hello", "a"});
    ASSERT_EQ(own.exitCode, 0) << own.describe();
    EXPECT_EQ(own.object()->getValue<std::string>("greeting"), "hello from good v1 a");

    // Text from a skill is wrapped, so stdout still holds exactly one document.
    auto wrapped = cli.json({"good", "config", "output"});
    ASSERT_EQ(wrapped.exitCode, 0) << wrapped.describe();
    auto document = wrapped.object();
    EXPECT_EQ(document->getValue<std::string>("command"), "good config");
    EXPECT_EQ(document->getValue<std::string>("skill"), "good");
    EXPECT_EQ(document->getValue<int>("exitCode"), 0);
    EXPECT_EQ(document->getValue<std::string>("output"), "json");

    // A failing command is wrapped too, with its exit code.
    auto failed = cli.json({"good", "api"});
    EXPECT_EQ(failed.exitCode, 65) << failed.describe();
    EXPECT_EQ(failed.object()->getValue<int>("exitCode"), 65);
    EXPECT_EQ(failed.object()->getValue<std::string>("output").rfind("404 ", 0), 0u);
}

TEST_F(SkillCommandsTest, ASkillThatThrowsFailsItsCommandOnly) {
    cli.installSkill(kFixtures / "good");
    auto result = cli.run({"good", "throw"});
    EXPECT_EQ(result.exitCode, 70) << result.describe();
    EXPECT_NE(result.err.find("command exploded"), std::string::npos) << result.err;
}

TEST_F(SkillCommandsTest, HelpListsSkillCommandsWithTheirSkill) {
    cli.installSkill(kFixtures / "good");
    installBrokenManifest();
    auto help = cli.run({"--help"});
    ASSERT_EQ(help.exitCode, 0) << help.describe();
    EXPECT_NE(help.out.find("Skill commands"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("good hello"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("[good]"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("Unusable skills"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("broken:"), std::string::npos) << help.out;
}

TEST_F(SkillCommandsTest, APartialPathSuggestsTheCommands) {
    cli.installSkill(kFixtures / "good");
    auto result = cli.json({"good"});
    EXPECT_EQ(result.exitCode, 64) << result.describe();
    EXPECT_NE(result.object()->getValue<std::string>("message").find("'good hello'"),
              std::string::npos);
}

TEST_F(SkillCommandsTest, BrokenSkillsNeverBreakBuiltInCommands) {
    cli.installSkill(kCrash);
    cli.installSkill(kRefusing);
    cli.installSkill(kFixtures / "throws_in_init");
    cli.installSkill(kFixtures / "wrong_abi");
    installBrokenManifest();
    auto project = cli.json({"project", "create", "Still works"});
    ASSERT_EQ(project.exitCode, 0) << project.describe();
    auto list = cli.json({"project", "list"});
    ASSERT_EQ(list.exitCode, 0) << list.describe();
    EXPECT_EQ(list.array()->size(), 1u);
    EXPECT_EQ(cli.run({"--help"}).exitCode, 0);
}

TEST_F(SkillCommandsTest, ASkillThatCannotLoadSaysWhy) {
    cli.installSkill(kRefusing);
    auto result = cli.json({"refuse", "now"});
    EXPECT_EQ(result.exitCode, 70) << result.describe();
    auto error = result.object();
    EXPECT_EQ(error->getValue<std::string>("code"), "skill_unavailable");
    EXPECT_NE(error->getValue<std::string>("message").find("refusing to start"), std::string::npos)
        << result.describe();
    // The built-in commands still work beside it.
    EXPECT_EQ(cli.json({"project", "list"}).exitCode, 0);
}

TEST_F(SkillCommandsTest, SkillListReadsManifestsAndCheckLoadsInAChild) {
    cli.installSkill(kFixtures / "good");
    cli.installSkill(kCrash);
    auto lazy = cli.json({"skill", "list"});
    ASSERT_EQ(lazy.exitCode, 0) << lazy.describe();
    EXPECT_EQ(skillNamed(lazy.array(), "good")->getValue<std::string>("status"), "available");
    EXPECT_EQ(skillNamed(lazy.array(), "crash-skill")->getValue<std::string>("status"),
              "available");

    auto checked = cli.json({"skill", "list", "--check"});
    ASSERT_EQ(checked.exitCode, 0) << checked.describe();
    auto good = skillNamed(checked.array(), "good");
    EXPECT_EQ(good->getValue<std::string>("status"), "loaded");
    EXPECT_GT(good->getArray("templates")->size(), 0u);
    EXPECT_EQ(good->getValue<std::string>("dir"),
              (cli.home() / "maestro-skills" / "good").string());
    auto crash = skillNamed(checked.array(), "crash-skill");
    EXPECT_EQ(crash->getValue<std::string>("status"), "rejected");
    EXPECT_NE(crash->getValue<std::string>("reason").find("crashed while loading"),
              std::string::npos)
        << crash->getValue<std::string>("reason");

    auto text = cli.run({"skill", "list"});
    EXPECT_NE(text.out.find("good hello"), std::string::npos) << text.out;
}

TEST_F(SkillCommandsTest, SkillsOthersCanWriteAreListedAsRejectedAndTheirCommandsDoNotRun) {
    cli.installSkill(kFixtures / "good");
    const auto dir = cli.home() / "maestro-skills" / "good";
    const auto library = dir / "fixture_good.so";
    const auto elsewhere = cli.home() / "elsewhere.so";
    fs::rename(library, elsewhere);
    fs::create_symlink(elsewhere, library);
    auto linked = cli.run({"good", "hello"});
    EXPECT_NE(linked.exitCode, 0) << linked.describe();
    EXPECT_NE(linked.err.find("library " + library.string() + " is a symlink to " +
                              elsewhere.string() + ", outside its skill folder"),
              std::string::npos)
        << linked.describe();
    EXPECT_EQ(linked.out, "") << "nothing of the library ran";

    fs::remove(library);
    fs::rename(elsewhere, library);
    fs::permissions(dir / "manifest.json", fs::perms::others_write, fs::perm_options::add);
    auto listed = cli.json({"skill", "list"});
    ASSERT_EQ(listed.exitCode, 0) << listed.describe();
    auto good = skillNamed(listed.array(), "good");
    EXPECT_EQ(good->getValue<std::string>("status"), "rejected");
    EXPECT_EQ(good->getValue<std::string>("reason"),
              (dir / "manifest.json").string() +
                  " is world-writable; refusing to load it (chmod o-w it)");
    auto run = cli.run({"good", "hello"});
    EXPECT_NE(run.exitCode, 0) << "a command of a rejected manifest is unknown";
    EXPECT_EQ(run.out, "");
}

TEST_F(SkillCommandsTest, SkillListWithNothingInstalled) {
    auto result = cli.json({"skill", "list"});
    ASSERT_EQ(result.exitCode, 0);
    EXPECT_EQ(result.array()->size(), 0u);
    auto text = cli.run({"skill", "list"});
    EXPECT_NE(text.out.find("No skills installed"), std::string::npos);
    EXPECT_NE(text.out.find((cli.home() / "maestro-skills").string()), std::string::npos);
}

TEST_F(SkillCommandsTest, SkillsPathAddsRoots) {
    TempDir extra;
    fs::copy(kFixtures / "good", extra.path() / "good", fs::copy_options::recursive);
    cli.set("MAESTRO_SKILLS_PATH", extra.path().string());
    auto result = cli.run({"good", "hello"});
    EXPECT_EQ(result.exitCode, 0) << result.describe();
}

TEST_F(SkillCommandsTest, SkillInfo) {
    cli.installSkill(kFixtures / "good");
    auto info = cli.json({"skill", "info", "good"});
    ASSERT_EQ(info.exitCode, 0) << info.describe();
    EXPECT_EQ(info.object()->getValue<std::string>("id"), "good");
    EXPECT_EQ(info.object()->getValue<std::string>("status"), "available");
    auto checked = cli.json({"skill", "info", "good", "--check"});
    EXPECT_EQ(checked.object()->getValue<std::string>("status"), "loaded");
    auto text = cli.run({"skill", "info", "good"});
    EXPECT_NE(text.out.find("maestro good hello"), std::string::npos) << text.out;
    auto missing = cli.json({"skill", "info", "nope"});
    EXPECT_EQ(missing.exitCode, 65);
    EXPECT_EQ(missing.object()->getValue<std::string>("code"), "skill_not_found");
}

TEST_F(SkillCommandsTest, ValidateChecksManifestAndLoad) {
    auto good = cli.json({"skill", "validate", (kFixtures / "good").string()});
    ASSERT_EQ(good.exitCode, 0) << good.describe();
    EXPECT_EQ(good.object()->getValue<std::string>("status"), "loaded");
    EXPECT_EQ(good.object()->getArray("commands")->size(), 4u);

    auto throws = cli.json({"skill", "validate", (kFixtures / "throws_in_init").string()});
    EXPECT_EQ(throws.exitCode, 65) << throws.describe();
    EXPECT_EQ(throws.object()->getValue<std::string>("status"), "rejected");
    EXPECT_FALSE(throws.object()->getValue<std::string>("reason").empty());

    auto abi = cli.json({"skill", "validate", (kFixtures / "wrong_abi").string()});
    EXPECT_EQ(abi.exitCode, 65) << abi.describe();

    auto crash = cli.json({"skill", "validate", kCrash.string()});
    EXPECT_EQ(crash.exitCode, 65) << crash.describe();
    EXPECT_NE(crash.object()->getValue<std::string>("reason").find("signal"), std::string::npos);

    TempDir broken;
    std::ofstream(broken.path() / "manifest.json") << R"({"id":"Bad Id"})";
    auto bad = cli.json({"skill", "validate", broken.path().string()});
    EXPECT_EQ(bad.exitCode, 65) << bad.describe();
    EXPECT_EQ(bad.object()->getValue<std::string>("status"), "rejected");

    auto text = cli.run({"skill", "validate", (kFixtures / "good").string()});
    EXPECT_EQ(text.out.rfind("valid\n", 0), 0u) << text.out;

    auto notADir = cli.json({"skill", "validate", "/no/such/skill"});
    EXPECT_EQ(notADir.exitCode, 64);
}

TEST_F(SkillCommandsTest, ALoadCheckLeavesNoScratchFilesEvenWhenTheSkillCrashes) {
    TempDir tmp;
    cli.set("TMPDIR", tmp.path().string());
    EXPECT_EQ(cli.json({"skill", "validate", kCrash.string()}).exitCode, 65);
    EXPECT_EQ(cli.json({"skill", "validate", (kFixtures / "good").string()}).exitCode, 0);
    EXPECT_TRUE(fs::is_empty(tmp.path()));
}

TEST_F(SkillCommandsTest, WorkerInitPrintsTheServersBriefAndStartsTheTask) {
    // The server renders the brief from its skills, as for a spawned session.
    TestServer withSkills(
        TestServer::Options{.env = {{"MAESTRO_SKILLS_PATH", kDefaults.string()}}});
    Cli worker(withSkills.baseUrl());
    worker.installSkill(kDefaults / "maestro-cli");
    worker.installSkill(kDefaults / "maestro-worker");
    auto http = withSkills.client();
    const auto project = http.createProject("Compiler");
    const auto task = http.createTask(project, "Write the lexer");
    http.createSubtask(task, "Tokens");
    worker.set("MAESTRO_TASK_ID", task)
        .set("MAESTRO_PROJECT_ID", project)
        .set("MAESTRO_ROLE", "worker");

    const auto brief = http.get("/api/tasks/" + task + "/brief?role=worker")
                           .object()
                           ->getValue<std::string>("brief");

    auto result = worker.run({"worker", "init"});
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    EXPECT_EQ(result.out, brief);
    EXPECT_NE(result.out.find("Write the lexer"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("Tokens"), std::string::npos) << result.out;
    EXPECT_EQ(http.get("/api/tasks/" + task).object()->getValue<std::string>("status"),
              "in_progress");
}

TEST_F(SkillCommandsTest, WorkerInitSaysSoWhenTheServerHasNoWorkerSkill) {
    cli.installSkill(kDefaults / "maestro-cli");
    cli.installSkill(kDefaults / "maestro-worker");
    auto http = server.client();
    const auto task = http.createTask(http.createProject(), "Write the lexer");
    cli.set("MAESTRO_TASK_ID", task);

    auto result = cli.run({"worker", "init"});
    EXPECT_EQ(result.exitCode, 70) << result.describe();
    EXPECT_NE(result.err.find("render no worker brief"), std::string::npos) << result.err;
    EXPECT_EQ(http.get("/api/tasks/" + task).object()->getValue<std::string>("status"), "todo");
}

TEST_F(SkillCommandsTest, OrchestratorPlanShowsTheTree) {
    cli.installSkill(kDefaults / "maestro-cli");
    cli.installSkill(kDefaults / "maestro-orchestrator");
    auto http = server.client();
    const auto task = http.createTask(http.createProject(), "Build the compiler");
    http.createSubtask(task, "Parser");
    cli.set("MAESTRO_TASK_ID", task);
    auto result = cli.run({"orchestrator", "plan"});
    ASSERT_EQ(result.exitCode, 0) << result.describe();
    EXPECT_NE(result.out.find("Parser"), std::string::npos) << result.out;
}

} // namespace
} // namespace maestro::test
