// session changes|diff|merge|discard: the built maestro against a server whose sessions work in
// git worktrees of a real repository (tests/fixtures/agents/editor.sh edits the files).
#include "CliRunner.h"
#include "GitRepo.h"
#include "TestServer.h"

#include <fstream>
#include <gtest/gtest.h>

namespace maestro::test {
namespace {

namespace fs = std::filesystem;

class ChangesTest : public ::testing::Test {
protected:
    ChangesTest() {
        const std::string editor = MAESTRO_EDITOR_AGENT, fake = MAESTRO_FAKE_AGENT;
        std::ofstream(home.path() / "config.json")
            << R"({"agents":{"edit":{"command":")" << editor
            << R"(","args":["src/parser.c","int parse(void);"]},)"
            << R"("sleep":{"command":")" << fake << R"(","args":["sleep"]}},)"
            << R"("defaultAgent":"edit"})";
        repo = std::make_unique<GitRepo>(GitRepo::init(home.path() / "repo"));
        repo->write("src/parser.c", "int parse();\n");
        repo->write("README", "parser\n");
        repo->commit("initial");
        server = std::make_unique<TestServer>(
            home.path(),
            TestServer::Options{{}, {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}}});
        cli = std::make_unique<Cli>(server->baseUrl());
        auto http = server->client();
        auto project = http.post("/api/projects",
                                 R"({"name":"P","workingDir":")" + repo->dir().string() + "\"}");
        projectId = project.object()->getValue<std::string>("id");
        taskId = http.createTask(projectId, "Fix the parser");
    }

    std::string spawn(const std::string& agent) {
        auto result = cli->json({"session", "spawn", "--task", taskId, "--agent", agent});
        EXPECT_EQ(result.exitCode, 0) << result.describe();
        return result.object()->getValue<std::string>("sessionId");
    }
    bool waitForStatus(const std::string& id, const std::string& wanted) {
        auto http = server->client();
        return waitUntil(
            [&] {
                return http.get("/api/sessions/" + id).object()->getValue<std::string>("status") ==
                       wanted;
            },
            20s);
    }

    TempDir home;
    std::unique_ptr<GitRepo> repo;
    std::unique_ptr<TestServer> server;
    std::unique_ptr<Cli> cli;
    std::string projectId, taskId;
};

TEST_F(ChangesTest, ChangesAndDiffShowTheSessionsWorkAsJsonAndText) {
    auto id = spawn("edit");
    ASSERT_TRUE(waitForStatus(id, "completed"));

    auto changes = cli->json({"session", "changes", id});
    ASSERT_EQ(changes.exitCode, 0) << changes.describe();
    auto document = changes.object();
    EXPECT_EQ(document->getValue<std::string>("sessionId"), id);
    EXPECT_EQ(document->getValue<std::string>("base"), "main");
    auto files = document->getArray("files");
    ASSERT_EQ(files->size(), 1u);
    EXPECT_EQ(files->getObject(0)->getValue<std::string>("path"), "src/parser.c");

    auto text = cli->run({"session", "changes", id});
    ASSERT_EQ(text.exitCode, 0) << text.describe();
    EXPECT_NE(text.out.find("→ main"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("src/parser.c  (uncommitted)"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("+1"), std::string::npos) << text.out;

    auto diff = cli->run({"session", "diff", id, "--path", "src/parser.c"});
    ASSERT_EQ(diff.exitCode, 0) << diff.describe();
    EXPECT_NE(diff.out.find("+int parse(void);"), std::string::npos) << diff.out;
    auto diffJson = cli->json({"session", "diff", id});
    ASSERT_EQ(diffJson.exitCode, 0);
    EXPECT_NE(diffJson.object()->getValue<std::string>("diff").find("-int parse();"),
              std::string::npos);

    auto missing = cli->json({"session", "diff", id, "--path", "README"});
    EXPECT_EQ(missing.exitCode, 65);
    EXPECT_EQ(missing.object()->getValue<std::string>("code"), "path_not_changed");
}

TEST_F(ChangesTest, MergeDefaultsToTheSessionOfTheEnvironment) {
    auto id = spawn("edit");
    ASSERT_TRUE(waitForStatus(id, "completed"));
    cli->set("MAESTRO_SESSION_ID", id);
    auto merged =
        cli->json({"session", "merge", "--strategy", "squash", "--message", "Parser fix"});
    ASSERT_EQ(merged.exitCode, 0) << merged.describe();
    EXPECT_EQ(merged.object()->getValue<std::string>("strategy"), "squash");
    EXPECT_EQ(repo->read("src/parser.c"), "int parse(void);\n");
    EXPECT_EQ(repo->git({"log", "-1", "--format=%s"}), "Parser fix\n");

    auto again = cli->run({"session", "merge"});
    EXPECT_EQ(again.exitCode, 65);
    EXPECT_NE(again.err.find("worktree_removed"), std::string::npos) << again.err;
}

TEST_F(ChangesTest, AConflictIsRefusedWithItsFilesAndExit65) {
    auto id = spawn("edit");
    ASSERT_TRUE(waitForStatus(id, "completed"));
    repo->write("src/parser.c", "int parse(int);\n");
    repo->commit("the base changes the same line");
    auto refused = cli->run({"session", "merge", id});
    EXPECT_EQ(refused.exitCode, 65) << refused.describe();
    EXPECT_NE(refused.err.find("src/parser.c"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("merge_conflict"), std::string::npos) << refused.err;
    auto json = cli->json({"session", "merge", id});
    EXPECT_EQ(json.exitCode, 65);
    EXPECT_EQ(json.object()->getValue<std::string>("code"), "merge_conflict");
}

TEST_F(ChangesTest, DiscardNeedsForceWhileTheSessionRuns) {
    auto id = spawn("sleep");
    auto refused = cli->json({"session", "discard", id});
    EXPECT_EQ(refused.exitCode, 65);
    EXPECT_EQ(refused.object()->getValue<std::string>("code"), "session_live");
    auto discarded = cli->run({"session", "discard", id, "--force"});
    ASSERT_EQ(discarded.exitCode, 0) << discarded.describe();
    EXPECT_NE(discarded.out.find("Discarded the worktree and branch maestro/fix-the-parser-"),
              std::string::npos)
        << discarded.out;
    EXPECT_EQ(cli->run({"session", "changes"}).exitCode, 64); // no SESSION, no variable
}

} // namespace
} // namespace maestro::test
