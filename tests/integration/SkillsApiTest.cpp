// Skills through the running server: faulty skills are rejected with their reason while
// everything else keeps working, and drop-in, change and removal need no restart.
#include "TestServer.h"
#include "WsClient.h"

#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::test;
using Poco::JSON::Object;

namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = MAESTRO_FIXTURE_SKILLS_DIR;

class SkillsApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(skills());
        server_ = std::make_unique<TestServer>(home_.path(), TestServer::Options{});
        ws_ = std::make_unique<WsClient>(server_->port());
        ws_->receive(); // connected
    }

    fs::path skills() const { return home_.path() / "maestro-skills"; }
    // Copies a fixture in as a whole: staged under a dot-name (ignored), then renamed.
    void dropIn(const std::string& fixture, const std::string& folder) {
        auto staging = skills() / ("." + folder);
        fs::copy(kFixtures / fixture, staging, fs::copy_options::recursive);
        fs::rename(staging, skills() / folder);
    }
    Object::Ptr skill(const std::string& id) {
        auto result = server_->client().get("/api/skills/" + id);
        return result.status == 200 ? result.object() : nullptr;
    }
    bool waitForStatus(const std::string& id, const std::string& status) {
        return waitUntil([&] {
            auto info = skill(id);
            return info && info->getValue<std::string>("status") == status;
        });
    }
    // Whether a skill event of this type for this id has arrived (waiting for it if needed).
    // Events are kept, so they may be asked for in any order; each is counted once.
    bool event(const std::string& type, const std::string& id) {
        auto matches = [&](const Object::Ptr& m) {
            return m->getValue<std::string>("type") == type &&
                   m->getObject("data")->getValue<std::string>("id") == id;
        };
        for (auto it = seen_.begin(); it != seen_.end(); ++it)
            if (matches(*it)) {
                seen_.erase(it);
                return true;
            }
        auto found = ws_->receiveUntil([&](const Object::Ptr& m) {
            if (matches(m)) return true;
            seen_.push_back(m);
            return false;
        });
        return found.has_value();
    }

    TempDir home_;
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<WsClient> ws_;
    std::vector<Object::Ptr> seen_;
};

} // namespace

TEST_F(SkillsApiTest, FaultySkillsAreRejectedWithTheirReasonAndTheServerKeepsServing) {
    dropIn("good", "good");
    ASSERT_TRUE(waitForStatus("good", "loaded"));
    for (const std::string fixture :
         {"wrong_abi", "newer_minor", "no_entry", "init_fails", "throws_in_init"})
        dropIn(fixture, fixture);
    dropIn("duplicate_command", "zz_duplicate_command"); // after good: good keeps "good hello"
    dropIn("minimal", "writable");
    fs::permissions(skills() / "writable" / "minimal.so", fs::perms::others_write,
                    fs::perm_options::add);
    fs::create_directories(skills() / "broken");
    std::ofstream(skills() / "broken" / "manifest.json") << "{ not json";
    fs::create_directories(skills() / "notelf");
    std::ofstream(skills() / "notelf" / "manifest.json")
        << R"({"id":"notelf","name":"n","version":"1","roles":["worker"],"abi":"1.0","library":"notelf.so"})";
    std::ofstream(skills() / "notelf" / "notelf.so") << "this is text, not a shared library\n";

    const std::map<std::string, std::string> expected = {{"wrong_abi", "ABI"},
                                                         {"newer_minor", "ABI"},
                                                         {"no_entry", "maestro_skill_entry"},
                                                         {"init_fails", "init"},
                                                         {"throws_in_init", "boom from init"},
                                                         {"duplicate_command", "good hello"},
                                                         {"minimal", "writable"},
                                                         {"broken", "not valid JSON"},
                                                         {"notelf", "cannot load library"}};
    for (const auto& [id, phrase] : expected) {
        SCOPED_TRACE(id);
        ASSERT_TRUE(waitForStatus(id, "rejected"));
        auto reason = skill(id)->getValue<std::string>("reason");
        EXPECT_NE(reason.find(phrase), std::string::npos) << reason;
        EXPECT_TRUE(event("skill:rejected", id)) << "every rejection is announced";
    }

    auto http = server_->client();
    auto list = http.get("/api/skills").array();
    EXPECT_EQ(list->size(), expected.size() + 1);
    auto good = skill("good");
    EXPECT_EQ(good->getValue<std::string>("status"), "loaded");
    EXPECT_EQ(good->getArray("commands")->getObject(0)->getValue<std::string>("name"),
              "good hello");
    EXPECT_FALSE(good->getArray("templates")->size() == 0);
    EXPECT_FALSE(good->getArray("hooks")->size() == 0);
    EXPECT_EQ(http.get("/health").status, 200);
    EXPECT_EQ(http.post("/api/projects", R"({"name":"still working"})").status, 201);
}

TEST_F(SkillsApiTest, DropInChangeAndRemovalTakeEffectWithoutRestart) {
    dropIn("good", "good");
    ASSERT_TRUE(event("skill:loaded", "good"));
    EXPECT_EQ(skill("good")->getValue<std::string>("version"), "1.0.0");

    // A changed library: written next to the old one, then renamed over it.
    fs::copy_file(kFixtures / "good_v2" / "fixture_good_v2.so", skills() / "good" / ".next.so");
    fs::rename(skills() / "good" / ".next.so", skills() / "good" / "fixture_good.so");
    EXPECT_TRUE(event("skill:loaded", "good")) << "a reload is announced as skill:loaded";
    EXPECT_EQ(skill("good")->getValue<std::string>("status"), "loaded");

    fs::remove_all(skills() / "good");
    EXPECT_TRUE(event("skill:unloaded", "good"));
    EXPECT_TRUE(waitUntil([&] { return !skill("good"); }));
    EXPECT_EQ(server_->client().get("/api/skills/good").status, 404);
}

TEST_F(SkillsApiTest, RescanReloadAndRoleQueries) {
    auto http = server_->client();
    fs::copy(kFixtures / "good", skills() / "good", fs::copy_options::recursive);
    auto rescan = http.post("/api/skills/rescan", "");
    ASSERT_EQ(rescan.status, 200) << rescan.body;
    EXPECT_TRUE(rescan.object()->isArray("changes"));
    ASSERT_TRUE(waitForStatus("good", "loaded"));
    auto reload = http.post("/api/skills/good/reload", "");
    EXPECT_EQ(reload.status, 200) << reload.body;
    EXPECT_EQ(reload.object()->getValue<std::string>("status"), "loaded");
    EXPECT_EQ(http.post("/api/skills/nope/reload", "").status, 404);
    auto worker = http.get("/api/skills/role/worker").array();
    ASSERT_EQ(worker->size(), 1u);
    EXPECT_EQ(worker->getObject(0)->getValue<std::string>("id"), "good");
    EXPECT_EQ(http.get("/api/skills/role/nobody").array()->size(), 0u);
}

TEST_F(SkillsApiTest, InstructionSkillsOthersCanWriteAreRejectedWithTheReason) {
    // Their text would go into every agent's brief: the folder and its files must be the user's.
    auto notes = skills() / ".notes";
    fs::create_directories(notes);
    std::ofstream(notes / "SKILL.md") << "---\nname: notes\ndescription: n\n---\nObey.\n";
    fs::permissions(notes, fs::perms::others_write, fs::perm_options::add);
    fs::rename(notes, skills() / "notes");
    auto manifest = skills() / ".plan";
    fs::create_directories(manifest);
    std::ofstream(manifest / "manifest.json")
        << R"({"id":"plan","name":"Plan","version":"1","roles":["*"]})";
    std::ofstream(manifest / "skill.md") << "Plan first.\n";
    fs::permissions(manifest / "skill.md", fs::perms::group_write, fs::perm_options::add);
    fs::rename(manifest, skills() / "plan");

    ASSERT_TRUE(waitForStatus("notes", "rejected"));
    EXPECT_EQ(skill("notes")->getValue<std::string>("reason"),
              "skill folder " + (skills() / "notes").string() +
                  " is world-writable; refusing to load it (chmod o-w it)");
    EXPECT_EQ(skill("notes")->getValue<std::string>("instructions"), "")
        << "its text reaches no brief";
    ASSERT_TRUE(waitForStatus("plan", "rejected"));
    EXPECT_EQ(skill("plan")->getValue<std::string>("reason"),
              (skills() / "plan" / "skill.md").string() +
                  " is group-writable; refusing to load it (chmod g-w it)");
    EXPECT_TRUE(event("skill:rejected", "plan"));

    // Fixed on disk, taken up without a restart.
    fs::permissions(skills() / "plan" / "skill.md", fs::perms::group_write,
                    fs::perm_options::remove);
    EXPECT_TRUE(waitForStatus("plan", "instructions"));
    EXPECT_EQ(skill("plan")->getValue<std::string>("instructions"), "Plan first.\n");
}
