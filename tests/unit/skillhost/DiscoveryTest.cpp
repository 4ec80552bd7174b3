#include "skillhost/Discovery.h"

#include "SkillTestSupport.h"

#include <gtest/gtest.h>

namespace {

using namespace maestro::skillhost;
using maestro::test::copyFixture;
using maestro::test::TempDir;
using maestro::test::writeFile;
namespace fs = std::filesystem;

const char* const kInstructionManifest =
    R"({"id":"notes","name":"Notes","version":"1","roles":["*"]})";

TEST(Discovery, BuildsRootsFromHomeAndSkillsPath) {
    EXPECT_EQ(skillRoots("/home/u/.agents-ui", nullptr),
              std::vector<fs::path>{"/home/u/.agents-ui/maestro-skills"});
    EXPECT_EQ(skillRoots("/h", "/a::/b:/a:"),
              (std::vector<fs::path>{"/h/maestro-skills", "/a", "/b"}));
}

TEST(Discovery, FindsSkillFoldersInRootOrderThenByName) {
    TempDir temp;
    const fs::path first = temp.path() / "first";
    const fs::path second = temp.path() / "second";
    writeFile(second / "alpha" / "manifest.json", kInstructionManifest);
    writeFile(first / "zeta" / "SKILL.md", "---\nname: zeta\ndescription: z\n---\n");
    writeFile(first / "beta" / "manifest.json", kInstructionManifest);
    writeFile(first / ".staging" / "manifest.json", kInstructionManifest); // hidden: skipped
    fs::create_directories(first / "not-a-skill");                         // no manifest
    const auto folders = discoverSkillFolders({first, temp.path() / "missing", second});
    EXPECT_EQ(folders, (std::vector<fs::path>{first / "beta", first / "zeta", second / "alpha"}));
}

TEST(Discovery, FingerprintChangesWhenAFileChanges) {
    TempDir temp;
    const fs::path dir = temp.path() / "notes";
    writeFile(dir / "manifest.json", kInstructionManifest);
    writeFile(dir / "skill.md", "v1");
    const Fingerprint before = fingerprintFolder(dir);
    EXPECT_EQ(before, fingerprintFolder(dir));
    writeFile(dir / "skill.md", "version two");
    EXPECT_NE(before, fingerprintFolder(dir));
}

TEST(Discovery, FingerprintChangesWhenAModeChanges) {
    TempDir temp;
    const fs::path dir = temp.path() / "notes";
    writeFile(dir / "manifest.json", kInstructionManifest);
    writeFile(dir / "skill.md", "v1");
    const Fingerprint before = fingerprintFolder(dir);
    fs::permissions(dir / "skill.md", fs::perms::others_write, fs::perm_options::add);
    const Fingerprint fileChanged = fingerprintFolder(dir);
    EXPECT_NE(before, fileChanged) << "chmod of a file";
    fs::permissions(dir, fs::perms::group_write, fs::perm_options::add);
    EXPECT_NE(fileChanged, fingerprintFolder(dir)) << "chmod of the folder";
}

TEST(Discovery, ListsManifestsWithoutLoadingLibraries) {
    TempDir temp;
    const fs::path dir = copyFixture("good", temp.path());
    writeFile(temp.path() / "broken" / "manifest.json", "{ nope");
    const auto manifests = listManifests({temp.path()});
    ASSERT_EQ(manifests.size(), 2u);
    EXPECT_EQ(manifests[0].id(), "broken");
    EXPECT_FALSE(manifests[0].manifest);
    EXPECT_NE(manifests[0].error.find("not valid JSON"), std::string::npos);
    ASSERT_TRUE(manifests[1].manifest);
    EXPECT_EQ(manifests[1].manifest->commands.size(), 4u);
    EXPECT_EQ(manifests[1].manifest->instructionsFile, dir / "skill.md");
    EXPECT_FALSE(maestro::test::isMapped("fixture_good"));
}

TEST(Discovery, RejectsInstructionOnlySkillWithoutInstructions) {
    TempDir temp;
    writeFile(temp.path() / "notes" / "manifest.json", kInstructionManifest);
    const ManifestResult result = readSkillFolder(temp.path() / "notes");
    EXPECT_EQ(result.error, "an instruction-only skill needs a skill.md beside manifest.json");
}

TEST(Discovery, ReadsInstructionsWithoutFrontMatter) {
    TempDir temp;
    writeFile(temp.path() / "s" / "SKILL.md", "---\nname: s\ndescription: d\n---\nDo it.\n");
    const ManifestResult result = readSkillFolder(temp.path() / "s");
    ASSERT_TRUE(result.manifest) << result.error;
    EXPECT_EQ(readInstructions(*result.manifest), "Do it.\n");
}

TEST(Discovery, MatchesLongestDeclaredCommandPath) {
    TempDir temp;
    copyFixture("good", temp.path());
    const auto manifests = listManifests({temp.path()});
    const auto match = matchCommand(manifests, {"good", "hello", "--loud", "x"});
    ASSERT_TRUE(match);
    EXPECT_EQ(match->skillId, "good");
    EXPECT_EQ(match->path, "good hello");
    EXPECT_EQ(match->argsBegin, 2u);
    EXPECT_FALSE(matchCommand(manifests, {"good"}));
    EXPECT_FALSE(matchCommand(manifests, {"task", "list"}));
}

} // namespace
