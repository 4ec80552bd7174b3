#include "spawn/AgentProfiles.h"

#include "TempDir.h"

#include <Poco/JSON/Parser.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::host::spawn;

namespace {

Poco::JSON::Object::Ptr parse(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

} // namespace

TEST(AgentProfiles, HasClaudeAndShellByDefault) {
    AgentProfiles profiles;
    EXPECT_EQ(profiles.defaultName(), "claude");
    ASSERT_TRUE(profiles.find("claude"));
    EXPECT_EQ(profiles.find("claude")->args,
              (std::vector<std::string>{"--mcp-config", "{mcpConfig}", "--", "{brief}"}));
    EXPECT_EQ(profiles.find("shell")->command, "/bin/sh");
    EXPECT_FALSE(profiles.find("nope"));
}

TEST(AgentProfiles, ConfigAddsAndReplacesProfiles) {
    AgentProfiles profiles;
    profiles.load(
        parse(R"({"claude":{"command":"/opt/claude","args":["-p","{brief}"],"env":{"X":"1"}},
                           "codex":{"command":"codex"}})"));
    EXPECT_EQ(profiles.find("claude")->command, "/opt/claude");
    EXPECT_EQ(profiles.find("claude")->env.at("X"), "1");
    EXPECT_TRUE(profiles.find("codex")->args.empty());
    EXPECT_EQ(profiles.names(), (std::vector<std::string>{"claude", "codex", "shell"}));
}

TEST(AgentProfiles, MalformedProfilesAreNamedInTheError) {
    AgentProfiles profiles;
    for (const char* bad :
         {R"({"x":{"args":[]}})", R"({"x":{"command":""}})", R"({"x":{"command":"c","args":[1]}})",
          R"({"x":{"command":"c","env":{"A":2}}})", R"({"x":"c"})"}) {
        try {
            profiles.load(parse(bad));
            ADD_FAILURE() << bad;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos) << e.what();
        }
    }
}

TEST(AgentProfiles, ExpandsEveryPlaceholder) {
    auto args = expandArgs({"--prompt={brief}", "{briefFile}", "{sessionId}/{taskId}",
                            "{brief}{brief}", "{unknown}", "--mcp-config={mcpConfig}"},
                           {"do {taskId}", "/b.md", "sess_1", "task_1", "/s/mcp.json"});
    EXPECT_EQ(args, (std::vector<std::string>{"--prompt=do {taskId}", "/b.md", "sess_1/task_1",
                                              "do {taskId}do {taskId}", "{unknown}",
                                              "--mcp-config=/s/mcp.json"}))
        << "values are inserted as they are, never expanded again";
}

TEST(AgentProfiles, CommandFoundOnTheProfilesOwnPathIsAvailable) {
    maestro::test::TempDir bin;
    auto agent = bin.path() / "my-agent";
    std::ofstream(agent) << "#!/bin/sh\n";
    std::filesystem::permissions(agent, std::filesystem::perms::owner_all);
    AgentProfile profile{"mine", "my-agent", {}, {{"PATH", "/nonexistent:" + bin.path().string()}}};
    EXPECT_EQ(unavailableReason(profile), std::nullopt);
    profile.env["PATH"] = "/nonexistent";
    EXPECT_EQ(unavailableReason(profile), "command not found on PATH: my-agent");
}

TEST(AgentProfiles, AbsoluteCommandMustBeAnExecutableFile) {
    maestro::test::TempDir dir;
    auto plain = dir.path() / "not-executable";
    std::ofstream(plain) << "text\n";
    EXPECT_EQ(unavailableReason({"sh", "/bin/sh", {}, {}}), std::nullopt);
    EXPECT_EQ(unavailableReason({"p", plain.string(), {}, {}}),
              "not an executable file: " + plain.string());
    EXPECT_EQ(unavailableReason({"d", dir.path().string(), {}, {}}),
              "not an executable file: " + dir.path().string());
}

TEST(AgentProfiles, RelativeCommandIsJudgedOnlyWhenTheSessionStarts) {
    EXPECT_EQ(unavailableReason({"local", "./bin/agent", {}, {}}), std::nullopt);
}
