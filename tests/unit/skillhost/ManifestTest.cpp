#include "skillhost/Manifest.h"

#include <gtest/gtest.h>

namespace {

using namespace maestro::skillhost;

const char* const kValid = R"({
  "id": "maestro-worker", "name": "Worker", "version": "1.2.0", "description": "Worker brief",
  "roles": ["worker"], "abi": "1.0", "library": "maestro-worker.so",
  "commands": [{"name": "worker init", "summary": "Start working"}]
})";

std::string reasonFor(const std::string& json) {
    try {
        parseManifestJson(json, "/skills/x");
    } catch (const SkillError& e) {
        return e.what();
    }
    return "accepted";
}

TEST(Manifest, ParsesEveryFieldWhenValid) {
    const Manifest manifest = parseManifestJson(kValid, "/skills/maestro-worker");
    EXPECT_EQ(manifest.id, "maestro-worker");
    EXPECT_EQ(manifest.name, "Worker");
    EXPECT_EQ(manifest.version, "1.2.0");
    EXPECT_EQ(manifest.description, "Worker brief");
    EXPECT_EQ(manifest.roles, std::vector<std::string>{"worker"});
    EXPECT_EQ(manifest.abi, "1.0");
    EXPECT_EQ(manifest.library, "maestro-worker.so");
    ASSERT_EQ(manifest.commands.size(), 1u);
    EXPECT_EQ(manifest.commands[0].name, "worker init");
    EXPECT_EQ(manifest.commands[0].summary, "Start working");
    EXPECT_EQ(manifest.dir, "/skills/maestro-worker");
    EXPECT_FALSE(manifest.instructionOnly());
    EXPECT_TRUE(manifest.appliesTo("worker"));
    EXPECT_FALSE(manifest.appliesTo("orchestrator"));
}

TEST(Manifest, RejectsInvalidJsonWithParserMessage) {
    EXPECT_EQ(reasonFor("{\"id\": ").rfind("manifest.json: not valid JSON", 0), 0u);
}

TEST(Manifest, RejectsNonObject) {
    EXPECT_EQ(reasonFor("[1, 2]"), "manifest.json: must be a JSON object");
}

TEST(Manifest, RejectsMissingRequiredFields) {
    EXPECT_EQ(reasonFor(R"({"name":"n","version":"1","roles":["*"]})"),
              "manifest.json: \"id\" is required (a non-empty string)");
    EXPECT_EQ(reasonFor(R"({"id":"x","version":"1","roles":["*"]})"),
              "manifest.json: \"name\" is required (a non-empty string)");
    EXPECT_EQ(reasonFor(R"({"id":"x","name":"n","version":"1"})"),
              "manifest.json: \"roles\" is required (an array of role names, \"*\" for every "
              "role)");
}

TEST(Manifest, RejectsWronglyTypedField) {
    EXPECT_EQ(reasonFor(R"({"id":7,"name":"n","version":"1","roles":["*"]})"),
              "manifest.json: \"id\" must be a string");
}

TEST(Manifest, RejectsUppercaseId) {
    EXPECT_NE(reasonFor(R"({"id":"Bad","name":"n","version":"1","roles":["*"]})")
                  .find("id \"Bad\" must be lowercase"),
              std::string::npos);
}

TEST(Manifest, RejectsLibraryOutsideTheFolder) {
    EXPECT_EQ(reasonFor(R"({"id":"x","name":"n","version":"1","roles":["*"],"abi":"1.0",
                           "library":"../evil.so"})"),
              "manifest.json: \"library\" must be a file name inside the skill folder, not "
              "\"../evil.so\"");
}

TEST(Manifest, RejectsLibraryWithoutAbi) {
    EXPECT_EQ(reasonFor(R"({"id":"x","name":"n","version":"1","roles":["*"],"library":"x.so"})"),
              "manifest.json: \"abi\" is required when \"library\" is set");
}

TEST(Manifest, RejectsUnsupportedAbi) {
    EXPECT_EQ(reasonFor(R"({"id":"x","name":"n","version":"1","roles":["*"],"abi":"2.0",
                           "library":"x.so"})"),
              "manifest.json: skill ABI 2.0 is not supported by this host (1.0)");
    EXPECT_EQ(reasonFor(R"({"id":"x","name":"n","version":"1","roles":["*"],"abi":"one",
                           "library":"x.so"})"),
              "manifest.json: \"abi\" must look like \"1.0\", not \"one\"");
}

TEST(Manifest, RejectsCommandsWithoutLibrary) {
    EXPECT_EQ(reasonFor(R"({"id":"x","name":"n","version":"1","roles":["*"],
                           "commands":[{"name":"x run"}]})"),
              "manifest.json: commands need a \"library\" that implements them");
}

TEST(Manifest, RejectsBadOrRepeatedCommandPath) {
    EXPECT_NE(reasonFor(R"({"id":"x","name":"n","version":"1","roles":["*"],"abi":"1.0",
                           "library":"x.so","commands":[{"name":"Worker  Init"}]})")
                  .find("is not a command path"),
              std::string::npos);
    EXPECT_EQ(reasonFor(R"({"id":"x","name":"n","version":"1","roles":["*"],"abi":"1.0",
                           "library":"x.so","commands":[{"name":"x run"},{"name":"x run"}]})"),
              "manifest.json: command \"x run\" is declared twice");
}

TEST(Manifest, AcceptsInstructionOnlySkill) {
    const Manifest manifest = parseManifestJson(
        R"({"id":"style","name":"Style","version":"1","roles":["*"]})", "/s/style");
    EXPECT_TRUE(manifest.instructionOnly());
    EXPECT_TRUE(manifest.appliesTo("anything"));
}

TEST(Manifest, ValidatesCommandPaths) {
    EXPECT_TRUE(isValidCommandPath("worker init"));
    EXPECT_TRUE(isValidCommandPath("a-b c2"));
    EXPECT_FALSE(isValidCommandPath(""));
    EXPECT_FALSE(isValidCommandPath(" worker"));
    EXPECT_FALSE(isValidCommandPath("worker "));
    EXPECT_FALSE(isValidCommandPath("worker  init"));
    EXPECT_FALSE(isValidCommandPath("-x"));
    EXPECT_FALSE(isValidCommandPath("Worker"));
}

TEST(Manifest, ParsesAbiVersions) {
    EXPECT_EQ(parseAbiVersion("1.0"), (AbiVersion{1, 0}));
    EXPECT_EQ(parseAbiVersion("12.34"), (AbiVersion{12, 34}));
    EXPECT_FALSE(parseAbiVersion("1"));
    EXPECT_FALSE(parseAbiVersion("1."));
    EXPECT_FALSE(parseAbiVersion("1.0.0"));
    EXPECT_FALSE(parseAbiVersion("a.b"));
}

TEST(AgentSkill, ParsesFrontMatter) {
    const Manifest manifest = parseAgentSkill(R"(---
name: code-style
description: >
  How we format code
  in this project.
version: "2.1"
roles: [worker, orchestrator]
---

# Code style
Use tabs.
)",
                                              "/s/code-style");
    EXPECT_EQ(manifest.id, "code-style");
    EXPECT_EQ(manifest.description, "How we format code in this project.");
    EXPECT_EQ(manifest.version, "2.1");
    EXPECT_EQ(manifest.roles, (std::vector<std::string>{"worker", "orchestrator"}));
    EXPECT_EQ(manifest.format, ManifestFormat::AgentSkill);
    EXPECT_TRUE(manifest.instructionOnly());
}

TEST(AgentSkill, DefaultsToEveryRoleAndBlockListRoles) {
    const Manifest everyone =
        parseAgentSkill("---\nname: a\ndescription: 'quoted: text'\n---\nbody\n", "/s/a");
    EXPECT_EQ(everyone.roles, std::vector<std::string>{"*"});
    EXPECT_EQ(everyone.description, "quoted: text");
    EXPECT_EQ(everyone.version, "0.0.0");

    const Manifest listed =
        parseAgentSkill("---\nname: b\ndescription: d\nroles:\n  - worker\n  - qa\n---\n", "/s/b");
    EXPECT_EQ(listed.roles, (std::vector<std::string>{"worker", "qa"}));
}

TEST(AgentSkill, RejectsMissingFrontMatterOrFields) {
    EXPECT_THROW(parseAgentSkill("# no front matter\n", "/s"), SkillError);
    try {
        parseAgentSkill("---\nname: x\n---\n", "/s");
        FAIL();
    } catch (const SkillError& e) {
        EXPECT_STREQ(e.what(), "SKILL.md: front matter needs \"description\"");
    }
}

TEST(AgentSkill, StripsFrontMatterFromInstructions) {
    EXPECT_EQ(stripFrontMatter("---\nname: x\ndescription: y\n---\n\n# Title\nText\n"),
              "# Title\nText\n");
    EXPECT_EQ(stripFrontMatter("# Plain\n"), "# Plain\n");
}

} // namespace
