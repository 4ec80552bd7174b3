#include "spawn/AgentProfiles.h"

#include "TempDir.h"
#include "spawn/AgentVersions.h"

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

TEST(AgentProfiles, HasTheRealAgentsAndShellByDefault) {
    AgentProfiles profiles;
    EXPECT_EQ(profiles.defaultName(), "claude");
    ASSERT_TRUE(profiles.find("claude"));
    EXPECT_EQ(profiles.find("claude")->args,
              (std::vector<std::string>{"--settings", "{hooksFile}", "--mcp-config", "{mcpConfig}",
                                        "--", "{brief}"}));
    EXPECT_EQ(profiles.find("claude")->hooks, "claude");
    EXPECT_EQ(profiles.find("codex")->args, (std::vector<std::string>{"{brief}"}));
    EXPECT_EQ(profiles.find("gemini")->args,
              (std::vector<std::string>{"--prompt-interactive", "{brief}"}));
    EXPECT_EQ(profiles.find("opencode")->args, (std::vector<std::string>{"--prompt", "{brief}"}));
    for (const char* agent : {"claude", "codex", "gemini", "opencode"}) {
        EXPECT_FALSE(profiles.find(agent)->activity.needsInputPatterns.empty()) << agent;
        EXPECT_GT(profiles.find(agent)->activity.needsInputLines, 1) << agent;
    }
    EXPECT_EQ(profiles.find("shell")->command, "/bin/sh");
    EXPECT_EQ(profiles.find("shell")->activity.needsInputLines, 1);
    EXPECT_FALSE(profiles.find("nope"));
}

TEST(AgentProfiles, ActivityKeysAreReadAndARedefinedBuiltInKeepsItsOwn) {
    AgentProfiles profiles;
    profiles.load(parse(R"({"claude":{"command":"/opt/claude"},
                            "mine":{"command":"m","needsInputPatterns":["^Sure\\?"],
                                    "needsInputLines":3,"idleAfterMs":2500,"startTimeoutMs":900,
                                    "hooks":"claude"}})"));
    auto claude = *profiles.find("claude");
    EXPECT_EQ(claude.hooks, "claude");
    EXPECT_EQ(claude.activity.needsInputLines, 15);
    auto mine = *profiles.find("mine");
    EXPECT_EQ(mine.activity.needsInputPatterns, (std::vector<std::string>{"^Sure\\?"}));
    EXPECT_EQ(mine.activity.needsInputLines, 3);
    EXPECT_EQ(mine.activity.idleAfter, std::chrono::milliseconds(2500));
    EXPECT_EQ(mine.activity.startTimeout, std::chrono::milliseconds(900));
    EXPECT_EQ(mine.hooks, "claude");
}

TEST(AgentProfiles, ConfigAddsAndReplacesProfiles) {
    AgentProfiles profiles;
    profiles.load(
        parse(R"({"claude":{"command":"/opt/claude","args":["-p","{brief}"],"env":{"X":"1"}},
                           "codex":{"command":"codex"}})"));
    EXPECT_EQ(profiles.find("claude")->command, "/opt/claude");
    EXPECT_EQ(profiles.find("claude")->env.at("X"), "1");
    EXPECT_TRUE(profiles.find("codex")->args.empty());
    EXPECT_EQ(profiles.names(),
              (std::vector<std::string>{"claude", "codex", "gemini", "opencode", "shell"}));
}

TEST(AgentProfiles, MalformedProfilesAreNamedInTheError) {
    AgentProfiles profiles;
    for (const char* bad :
         {R"({"x":{"args":[]}})", R"({"x":{"command":""}})", R"({"x":{"command":"c","args":[1]}})",
          R"({"x":{"command":"c","env":{"A":2}}})", R"({"x":"c"})",
          R"({"x":{"command":"c","needsInputPatterns":["(unclosed"]}})",
          R"({"x":{"command":"c","needsInputPatterns":"y/n"}})",
          R"({"x":{"command":"c","needsInputLines":0}})",
          R"({"x":{"command":"c","idleAfterMs":"5"}})",
          R"({"x":{"command":"c","startTimeoutMs":-1}})",
          R"({"x":{"command":"c","hooks":"codex"}})"}) {
        try {
            profiles.load(parse(bad));
            ADD_FAILURE() << bad;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos) << e.what();
        }
    }
}

TEST(AgentProfiles, ExpandsEveryPlaceholder) {
    auto args =
        expandArgs({"--prompt={brief}", "{briefFile}", "{sessionId}/{taskId}", "{brief}{brief}",
                    "{unknown}", "--mcp-config={mcpConfig}", "{hooksFile}"},
                   {"do {taskId}", "/b.md", "sess_1", "task_1", "/s/mcp.json", "/s/hooks.json"});
    EXPECT_EQ(args, (std::vector<std::string>{"--prompt=do {taskId}", "/b.md", "sess_1/task_1",
                                              "do {taskId}do {taskId}", "{unknown}",
                                              "--mcp-config=/s/mcp.json", "/s/hooks.json"}))
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

TEST(AgentVersions, FirstLineOfVersionOutputOrNothingWhenItFailsOrHangs) {
    maestro::test::TempDir dir;
    auto script = [&](const std::string& name, const std::string& body) {
        auto path = dir.path() / name;
        std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
        std::filesystem::permissions(path, std::filesystem::perms::owner_all);
        return path.string();
    };
    auto good = script("good", R"(printf '\n  \n2.1.3 (Claude Code)\nmore\n')");
    auto failing = script("failing", "echo 1.0; exit 1");
    auto hanging = script("hanging", "sleep 30 & wait");
    EXPECT_EQ(probeVersion(good, std::chrono::seconds(5)), "2.1.3 (Claude Code)");
    EXPECT_EQ(probeVersion(failing, std::chrono::seconds(5)), std::nullopt);
    auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(probeVersion(hanging, std::chrono::milliseconds(300)), std::nullopt);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5))
        << "the deadline holds even when a child keeps the output open";

    AgentVersions versions(std::chrono::seconds(5));
    EXPECT_EQ(versions.of(good), "2.1.3 (Claude Code)");
    std::filesystem::remove(good);
    EXPECT_EQ(versions.of(good), "2.1.3 (Claude Code)") << "remembered";
}
