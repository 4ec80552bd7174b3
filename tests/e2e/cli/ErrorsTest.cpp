// Exit codes and error documents: usage mistakes are caught before any request (64), the
// server's refusals are passed on as its own error document (65).
#include "CliRunner.h"
#include "FaultProxy.h"
#include "TestServer.h"

#include <gtest/gtest.h>

namespace maestro::test {
namespace {

class ErrorsTest : public ::testing::Test {
protected:
    ErrorsTest() : proxy(server.port()), cli("http://127.0.0.1:" + std::to_string(proxy.port())) {}

    // A usage error: exit 64, the CLI's error document, and not one connection to the server.
    void expectUsage(const std::vector<std::string>& args, const std::string& mention = {}) {
        auto result = cli.json(args);
        EXPECT_EQ(result.exitCode, 64) << result.describe();
        auto error = result.object();
        EXPECT_TRUE(error->getValue<bool>("error"));
        EXPECT_EQ(error->getValue<std::string>("code"), "usage_error");
        EXPECT_EQ(error->getValue<int>("statusCode"), 0);
        if (!mention.empty()) {
            EXPECT_NE(error->getValue<std::string>("message").find(mention), std::string::npos)
                << result.describe();
        }
        EXPECT_EQ(proxy.connections(), 0) << "a request was made for: " << result.describe();
    }

    TestServer server;
    FaultProxy proxy;
    Cli cli;
};

TEST_F(ErrorsTest, UsageErrorsComeBeforeAnyRequest) {
    expectUsage({"task", "get"}, "MAESTRO_TASK_ID");
    expectUsage({"task", "create", "Title"}, "project");
    expectUsage({"task", "create", "   ", "--project", "proj_1"}, "title");
    expectUsage({"task", "block", "task_1"}, "--reason");
    expectUsage({"task", "block", "task_1", "--reason", " "}, "--reason");
    expectUsage({"task", "update", "task_1"}, "nothing to update");
    expectUsage({"task", "update", "task_1", "--status", "blocked"}, "--reason");
    expectUsage({"task", "update", "task_1", "--reason", "x"}, "--status blocked");
    expectUsage({"task", "update", "task_1", "--title", " "}, "title");
    expectUsage({"task", "create", "T", "--project", "p", "--priority", "urgent"});
    expectUsage({"task", "list", "--status", "done"});
    expectUsage({"task", "get", "bad id!"}, "not a valid id");
    expectUsage({"task", "frobnicate"});
    expectUsage({"task"});
    expectUsage({"frobnicate"}, "unknown command 'frobnicate'");
    expectUsage({}, "a command is required");
    expectUsage({"--bogus-flag", "status"});
    expectUsage({"--project", "no such/project", "status"}, "not a valid id");
    expectUsage({"subtask", "add", "T"}, "MAESTRO_TASK_ID");
    expectUsage({"subtask", "reorder", "--task", "t"});
    expectUsage({"report", "progress", " "}, "message");
    expectUsage({"report", "progress", "done"}, "MAESTRO_TASK_ID");
    expectUsage({"session", "spawn", "--role", "boss", "--task", "t"});
    expectUsage({"session", "get"}, "MAESTRO_SESSION_ID");
    expectUsage({"events", "--count", "3"}, "--follow");
    expectUsage({"events", "--follow", "--limit", "3"});
    expectUsage({"project", "delete"});
    expectUsage({"--server", "https://example.org", "status"}, "only http://");
    expectUsage({"--server", "localhost:3000", "status"});
}

TEST_F(ErrorsTest, BadRetrySettingsAreUsageErrors) {
    cli.set("MAESTRO_RETRIES", "many");
    expectUsage({"status"}, "MAESTRO_RETRIES");
    cli.unset("MAESTRO_RETRIES").set("MAESTRO_RETRY_DELAY", "-5");
    expectUsage({"status"}, "MAESTRO_RETRY_DELAY");
}

TEST_F(ErrorsTest, UsageErrorsInTextGoToStderr) {
    auto result = cli.run({"task", "get"});
    EXPECT_EQ(result.exitCode, 64);
    EXPECT_EQ(result.out, "");
    EXPECT_NE(result.err.find("error: no task"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("maestro --help"), std::string::npos);
}

TEST_F(ErrorsTest, HelpAndVersionSucceed) {
    auto help = cli.run({"--help"});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_NE(help.out.find("task"), std::string::npos);
    EXPECT_NE(help.out.find("Exit codes"), std::string::npos);
    auto taskHelp = cli.run({"task", "block", "--help"});
    EXPECT_EQ(taskHelp.exitCode, 0);
    EXPECT_NE(taskHelp.out.find("--reason"), std::string::npos);
    auto version = cli.run({"--version"});
    EXPECT_EQ(version.exitCode, 0);
    EXPECT_NE(version.out.find("maestro "), std::string::npos);
    auto word = cli.run({"help"});
    EXPECT_EQ(word.exitCode, 0);
    EXPECT_NE(word.out.find("Subcommands"), std::string::npos);
    auto bare = cli.run({});
    EXPECT_EQ(bare.exitCode, 64);
    EXPECT_NE(bare.out.find("Usage"), std::string::npos);
    EXPECT_EQ(proxy.connections(), 0);
}

TEST_F(ErrorsTest, RefusalsPassOnTheServersErrorDocument) {
    auto result = cli.json({"task", "get", "task_missing"});
    EXPECT_EQ(result.exitCode, 65) << result.describe();
    auto error = result.object();
    EXPECT_TRUE(error->getValue<bool>("error"));
    EXPECT_EQ(error->getValue<int>("statusCode"), 404);
    EXPECT_EQ(error->getValue<std::string>("code"), "task_not_found");
    EXPECT_TRUE(error->has("details"));
    EXPECT_EQ(proxy.connections(), 1); // a 4xx is not retried

    auto text = cli.run({"task", "get", "task_missing"});
    EXPECT_EQ(text.exitCode, 65);
    EXPECT_NE(text.err.find("(task_not_found, HTTP 404)"), std::string::npos) << text.err;
}

TEST_F(ErrorsTest, TheServersValidationIsPassedOn) {
    auto project = cli.json({"project", "create", "P"}).object()->getValue<std::string>("id");
    auto result = cli.json({"--project", "proj_nope", "task", "create", "T"});
    EXPECT_EQ(result.exitCode, 65) << result.describe();
    EXPECT_EQ(result.object()->getValue<std::string>("code"), "project_not_found");
    auto missing = cli.json({"--project", project, "status"});
    EXPECT_EQ(missing.exitCode, 0);
    auto gone = cli.json({"project", "delete", "proj_nope"});
    EXPECT_EQ(gone.exitCode, 65);
}

TEST_F(ErrorsTest, FlagsMayFollowTheCommand) {
    auto project = cli.run({"project", "create", "P", "--json"});
    EXPECT_EQ(project.exitCode, 0) << project.describe();
    EXPECT_EQ(project.object()->getValue<std::string>("name"), "P");
    auto id = project.object()->getValue<std::string>("id");
    auto status = cli.run({"status", "--project", id, "--json"});
    EXPECT_EQ(status.object()->getValue<std::string>("projectId"), id);
    // --server given twice: the last one wins.
    auto twice = cli.run({"--server", "http://127.0.0.1:1", "--json", "--server",
                          "http://127.0.0.1:" + std::to_string(proxy.port()), "project", "list"});
    EXPECT_EQ(twice.exitCode, 0) << twice.describe();
}

} // namespace
} // namespace maestro::test
