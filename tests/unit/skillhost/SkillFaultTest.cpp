// Every fault of a skill is a rejection with a clear reason; the registry keeps serving.
#include "SkillTestSupport.h"
#include "skillhost/SkillRegistry.h"

#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

namespace {

using namespace maestro::skillhost;
using namespace maestro::test;

class SkillFaultTest : public ::testing::Test, public RegistryFixture {
protected:
    // Loads the root and returns the reason `id` was rejected ("" if it was not).
    std::string rejection(const std::string& id) {
        if (!registry_) registry_ = makeRegistry();
        for (const auto& change : registry_->rescan()) {
            if (change.id == id && change.kind != ChangeKind::Rejected) return "";
        }
        const auto info = registry_->get(id);
        if (!info) return "<unknown skill>";
        EXPECT_EQ(info->status, SkillStatus::Rejected);
        return info->reason;
    }

    // Nothing of a rejected skill stays loaded.
    void expectNothingLeftLoaded(const std::string& id) { EXPECT_EQ(mappedCopies(id), 0); }

    std::unique_ptr<SkillRegistry> registry_;
};

TEST_F(SkillFaultTest, RejectsWrongAbiMajor) {
    copyFixture("wrong_abi", root);
    EXPECT_EQ(rejection("wrong_abi"),
              "built for skill ABI 2.0, but this host implements 1.0: major versions must match");
    expectNothingLeftLoaded("wrong_abi");
}

TEST_F(SkillFaultTest, RejectsNewerAbiMinor) {
    copyFixture("newer_minor", root);
    EXPECT_EQ(rejection("newer_minor"),
              "built for skill ABI 1.99, newer than this host's 1.0: update Maestro or rebuild "
              "the skill against ABI 1.0");
    expectNothingLeftLoaded("newer_minor");
}

TEST_F(SkillFaultTest, RejectsLibraryWithoutEntrySymbol) {
    const fs::path dir = copyFixture("no_entry", root);
    EXPECT_EQ(rejection("no_entry"), "library " + (dir / "fixture_no_entry.so").string() +
                                         " does not export maestro_skill_entry; it is not a "
                                         "Maestro skill (see docs/writing-a-skill.md)");
    expectNothingLeftLoaded("no_entry");
}

TEST_F(SkillFaultTest, RejectsSkillWhoseInitFails) {
    copyFixture("init_fails", root);
    EXPECT_EQ(rejection("init_fails"),
              "init failed: fixture refused to start: no token configured");
    expectNothingLeftLoaded("init_fails");
}

TEST_F(SkillFaultTest, ContainsExceptionEscapingInit) {
    copyFixture("throws_in_init", root);
    EXPECT_EQ(rejection("throws_in_init"), "init threw an exception: boom from init");
    expectNothingLeftLoaded("throws_in_init");
}

TEST_F(SkillFaultTest, RejectsCommandAlreadyRegisteredByAnotherSkill) {
    copyFixture("good", root);
    registry_ = makeRegistry();
    registry_->rescan();
    copyFixture("duplicate_command", root);
    EXPECT_EQ(rejection("duplicate_command"),
              "command \"good hello\" is already registered by skill \"good\"");
    // The first owner keeps its command.
    std::ostringstream out;
    EXPECT_EQ(registry_->runCommand("good hello", {}, out, out, "{}"), 0);
    EXPECT_EQ(out.str().rfind("hello from good v1", 0), 0u);
}

TEST_F(SkillFaultTest, RejectsCommandRegisteredTwiceInOneSkill) {
    copyFixture("duplicate_in_skill", root);
    EXPECT_EQ(rejection("duplicate_in_skill"), "command \"twice run\" is registered twice");
    expectNothingLeftLoaded("duplicate_command");
}

TEST_F(SkillFaultTest, RejectsWorldWritableLibrary) {
    const fs::path dir = copyFixture("good", root);
    fs::permissions(dir / "fixture_good.so", fs::perms::others_write, fs::perm_options::add);
    EXPECT_EQ(rejection("good"), "library " + (dir / "fixture_good.so").string() +
                                     " is world-writable; refusing to load it (chmod o-w it)");
    expectNothingLeftLoaded("good");
}

TEST_F(SkillFaultTest, RejectsGroupWritableLibrary) {
    const fs::path dir = copyFixture("good", root);
    fs::permissions(dir / "fixture_good.so", fs::perms::group_write, fs::perm_options::add);
    EXPECT_EQ(rejection("good"), "library " + (dir / "fixture_good.so").string() +
                                     " is group-writable; refusing to load it (chmod g-w it)");
    expectNothingLeftLoaded("good");
}

TEST_F(SkillFaultTest, RejectsWorldWritableSkillFolder) {
    const fs::path dir = copyFixture("good", root);
    fs::permissions(dir, fs::perms::others_write, fs::perm_options::add);
    EXPECT_EQ(rejection("good"), "skill folder " + dir.string() +
                                     " is world-writable; refusing to load it (chmod o-w it)");
    expectNothingLeftLoaded("good");
}

TEST_F(SkillFaultTest, RejectsStickyWorldWritableSkillFolder) {
    // Sticky or not, others can add files to it.
    const fs::path dir = copyFixture("good", root);
    fs::permissions(dir, fs::perms::others_write | fs::perms::group_write | fs::perms::sticky_bit,
                    fs::perm_options::add);
    EXPECT_EQ(rejection("good"),
              "skill folder " + dir.string() +
                  " is group- and world-writable; refusing to load it (chmod go-w it)");
}

TEST_F(SkillFaultTest, RejectsInstructionOnlySkillInWorldWritableFolder) {
    writeFile(root / "notes" / "SKILL.md", "---\nname: notes\ndescription: n\n---\nDo good.\n");
    fs::permissions(root / "notes", fs::perms::others_write, fs::perm_options::add);
    EXPECT_EQ(rejection("notes"), "skill folder " + (root / "notes").string() +
                                      " is world-writable; refusing to load it (chmod o-w it)");
    EXPECT_EQ(registry_->get("notes")->instructions, "") << "its text reaches no brief";
}

TEST_F(SkillFaultTest, RejectsWritableManifestAndInstructions) {
    writeFile(root / "notes" / "manifest.json",
              R"({"id":"notes","name":"Notes","version":"1","roles":["*"]})");
    writeFile(root / "notes" / "skill.md", "Do good.\n");
    const fs::path manifest = root / "notes" / "manifest.json";
    const fs::path instructions = root / "notes" / "skill.md";

    fs::permissions(manifest, fs::perms::others_write, fs::perm_options::add);
    EXPECT_EQ(rejection("notes"),
              manifest.string() + " is world-writable; refusing to load it (chmod o-w it)");
    fs::permissions(manifest, fs::perms::others_write, fs::perm_options::remove);
    fs::permissions(instructions, fs::perms::group_write, fs::perm_options::add);
    EXPECT_EQ(rejection("notes"),
              instructions.string() + " is group-writable; refusing to load it (chmod g-w it)");
    fs::permissions(instructions, fs::perms::group_write, fs::perm_options::remove);
    EXPECT_EQ(rejection("notes"), "") << "a chmod back is seen by the next rescan";
    EXPECT_EQ(registry_->get("notes")->instructions, "Do good.\n");
}

TEST_F(SkillFaultTest, RejectsFilesOwnedByAnotherUser) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
    writeFile(root / "notes" / "SKILL.md", "---\nname: notes\ndescription: n\n---\nDo good.\n");
    const fs::path instructions = root / "notes" / "SKILL.md";
    ASSERT_EQ(::chown(instructions.c_str(), 65534, 65534), 0);
    EXPECT_EQ(rejection("notes"), instructions.string() +
                                      " is owned by uid 65534, not by the current user (uid 0); "
                                      "refusing to load it");
    ASSERT_EQ(::chown(instructions.c_str(), 0, 0), 0);
    ASSERT_EQ(::chown((root / "notes").c_str(), 65534, 65534), 0);
    EXPECT_EQ(rejection("notes"), "skill folder " + (root / "notes").string() +
                                      " is owned by uid 65534, not by the current user (uid 0); "
                                      "refusing to load it");
}

TEST_F(SkillFaultTest, RejectsLibrarySymlinkedOutsideItsFolder) {
    const fs::path dir = copyFixture("good", root);
    const fs::path elsewhere = temp.path() / "elsewhere.so";
    fs::rename(dir / "fixture_good.so", elsewhere);
    fs::create_symlink(elsewhere, dir / "fixture_good.so");
    EXPECT_EQ(rejection("good"), "library " + (dir / "fixture_good.so").string() +
                                     " is a symlink to " + elsewhere.string() +
                                     ", outside its skill folder; refusing to load it");
    expectNothingLeftLoaded("good");
}

TEST_F(SkillFaultTest, LoadsLibrarySymlinkedInsideItsFolder) {
    const fs::path dir = copyFixture("good", root);
    fs::rename(dir / "fixture_good.so", dir / "fixture_good.so.1");
    fs::create_symlink("fixture_good.so.1", dir / "fixture_good.so");
    EXPECT_EQ(rejection("good"), "");
    EXPECT_EQ(registry_->get("good")->status, SkillStatus::Loaded);
}

TEST_F(SkillFaultTest, RejectsInstructionsSymlinkedOutsideItsFolder) {
    writeFile(temp.path() / "secret.md", "---\nname: notes\ndescription: n\n---\nsecret\n");
    fs::create_directories(root / "notes");
    fs::create_symlink(temp.path() / "secret.md", root / "notes" / "SKILL.md");
    EXPECT_EQ(rejection("notes"), (root / "notes" / "SKILL.md").string() + " is a symlink to " +
                                      (temp.path() / "secret.md").string() +
                                      ", outside its skill folder; refusing to load it");
}

TEST_F(SkillFaultTest, RejectsMalformedManifest) {
    writeFile(root / "broken" / "manifest.json", R"({"id": "broken", "roles": )");
    const std::string reason = rejection("broken");
    EXPECT_EQ(reason.rfind("manifest.json: not valid JSON: ", 0), 0u) << reason;
}

TEST_F(SkillFaultTest, RejectsFileThatIsNotASharedLibrary) {
    const fs::path dir = copyFixture("good", root);
    // Longer than an ELF header, so the loader reads it and finds no ELF magic.
    writeFile(dir / "fixture_good.so", std::string(20, '#') +
                                           " this is a text file, not an ELF "
                                           "object, named like one\n" +
                                           std::string(200, '#') + "\n");
    const std::string library = (dir / "fixture_good.so").string();
    const std::string reason = rejection("good");
    EXPECT_EQ(reason.rfind("cannot load library " + library + ": ", 0), 0u) << reason;
    EXPECT_NE(reason.find("invalid ELF header"), std::string::npos) << reason;
    EXPECT_EQ(reason.find("/proc/self/fd"), std::string::npos) << "names the private copy";
    expectNothingLeftLoaded("good");
}

TEST_F(SkillFaultTest, RejectsMissingLibraryFile) {
    const fs::path dir = copyFixture("good", root);
    fs::remove(dir / "fixture_good.so");
    EXPECT_EQ(rejection("good"), "library fixture_good.so not found in " + dir.string());
}

TEST_F(SkillFaultTest, RejectsLibraryWhoseIdDiffersFromManifest) {
    const fs::path dir = copyFixture("minimal", root);
    std::string manifest = readFile(dir / "manifest.json");
    manifest.replace(manifest.find("\"minimal\""), 9, "\"other\"");
    writeFile(dir / "manifest.json", manifest);
    EXPECT_EQ(rejection("other"),
              "library declares id \"minimal\" but manifest.json says \"other\"");
    expectNothingLeftLoaded("good");
}

TEST_F(SkillFaultTest, RejectsCommandsTheManifestDoesNotDeclare) {
    const fs::path dir = copyFixture("minimal", root);
    writeFile(dir / "manifest.json", R"({"id":"minimal","name":"m","version":"1","roles":["*"],
                                          "abi":"1.0","library":"minimal.so"})");
    EXPECT_EQ(rejection("minimal"),
              "the library registered command \"minimal hello\", which manifest.json does not "
              "declare");
    writeFile(dir / "manifest.json", R"({"id":"minimal","name":"m","version":"1","roles":["*"],
        "abi":"1.0","library":"minimal.so","commands":[{"name":"minimal hello"},{"name":"minimal bye"}]})");
    EXPECT_EQ(rejection("minimal"),
              "manifest.json declares command \"minimal bye\", which the library did not register");
}

TEST_F(SkillFaultTest, KeepsServingGoodSkillsBesideBadOnes) {
    for (const char* id : {"wrong_abi", "newer_minor", "no_entry", "init_fails", "throws_in_init",
                           "good", "vetoes"}) {
        copyFixture(id, root);
    }
    writeFile(root / "broken" / "manifest.json", "{");
    registry_ = makeRegistry();
    const auto changes = registry_->rescan();
    EXPECT_EQ(changes.size(), 8u);
    int rejected = 0;
    for (const auto& change : changes) {
        if (change.kind == ChangeKind::Rejected) {
            ++rejected;
            EXPECT_FALSE(change.reason.empty()) << change.id;
            EXPECT_EQ(eventType(change.kind), "skill:rejected");
        }
    }
    EXPECT_EQ(rejected, 6);
    std::ostringstream out;
    EXPECT_EQ(registry_->runCommand("good hello", {"still"}, out, out, "{}"), 0);
    EXPECT_EQ(registry_->get("vetoes")->status, SkillStatus::Loaded);
    EXPECT_EQ(registry_->list().size(), 8u);
}

} // namespace

namespace {

using namespace maestro::skillhost;
using namespace maestro::test;

// What docs/skills.md says: a crash cannot be contained in-process. The death test forks, so
// only the child dies.
TEST(SkillCrashDeathTest, CrashingHookTakesTheProcessDown) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    RegistryFixture fixture;
    copyFixture("crashes_in_hook", fixture.root);
    EXPECT_DEATH(
        {
            auto registry = fixture.makeRegistry();
            registry->rescan();
            SpawnPlan plan;
            plan.command = "claude";
            registry->runSpawnHooks("worker", plan);
        },
        "");
}

} // namespace
