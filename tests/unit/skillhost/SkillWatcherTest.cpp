// Hot drop-in: changes on disk take effect within 2 s, without a restart.
#include "skillhost/SkillWatcher.h"

#include "SkillTestSupport.h"
#include "skillhost/SkillRegistry.h"

#include <gtest/gtest.h>
#include <sstream>

namespace {

using namespace maestro::skillhost;
using namespace maestro::test;
using std::chrono::milliseconds;

class SkillWatcherTest : public ::testing::Test, public RegistryFixture {
protected:
    SkillWatcherTest() : registry_(makeRegistry()) {}

    void startWatcher() {
        watcher_ = std::make_unique<SkillWatcher>(*registry_, [this](const auto& changes) {
            std::lock_guard lock(mutex_);
            changes_.insert(changes_.end(), changes.begin(), changes.end());
        });
        watcher_->start();
    }

    std::vector<SkillChange> changesOf(const std::string& id) {
        std::lock_guard lock(mutex_);
        std::vector<SkillChange> result;
        for (const auto& change : changes_) {
            if (change.id == id) result.push_back(change);
        }
        return result;
    }

    std::string hello() {
        std::ostringstream out;
        std::ostringstream err;
        registry_->runCommand("good hello", {}, out, err, "{}");
        return out.str();
    }

    std::unique_ptr<SkillRegistry> registry_;
    std::unique_ptr<SkillWatcher> watcher_;
    std::mutex mutex_;
    std::vector<SkillChange> changes_;
};

TEST_F(SkillWatcherTest, LoadsDroppedInSkillWithinTwoSeconds) {
    startWatcher();
    copyFixture("good", root);
    EXPECT_TRUE(waitFor([&] { return hello() == "hello from good v1\n"; }));
    EXPECT_TRUE(waitFor([&] { return !changesOf("good").empty(); }));
    EXPECT_EQ(changesOf("good").at(0).kind, ChangeKind::Loaded);
}

TEST_F(SkillWatcherTest, LoadsFolderCopiedPieceByPieceOnlyOnceComplete) {
    startWatcher();
    // The manifest lands first, its library a moment later: no rejection in between.
    const fs::path dir = root / "good";
    fs::create_directories(dir);
    fs::copy_file(fixtureDir("good") / "manifest.json", dir / "manifest.json");
    fs::copy_file(fixtureDir("good") / "skill.md", dir / "skill.md");
    fs::copy_file(fixtureDir("good") / "fixture_good.so", dir / "fixture_good.so");
    ASSERT_TRUE(waitFor([&] { return !changesOf("good").empty(); }));
    const auto changes = changesOf("good");
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, ChangeKind::Loaded) << changes[0].reason;
}

TEST_F(SkillWatcherTest, ReloadsChangedLibraryWithinTwoSeconds) {
    const fs::path dir = copyFixture("good", root);
    registry_->rescan();
    startWatcher();
    ASSERT_EQ(hello(), "hello from good v1\n");
    fs::copy_file(kGoodV2Library, dir / "fixture_good.so", fs::copy_options::overwrite_existing);
    EXPECT_TRUE(waitFor([&] { return hello() == "hello from good v2\n"; }));
    EXPECT_TRUE(waitFor([&] { return !changesOf("good").empty(); }));
    EXPECT_EQ(changesOf("good").at(0).kind, ChangeKind::Reloaded);
}

TEST_F(SkillWatcherTest, UnloadsRemovedSkillWithinTwoSeconds) {
    const fs::path dir = copyFixture("good", root);
    registry_->rescan();
    startWatcher();
    fs::remove_all(dir);
    EXPECT_TRUE(waitFor([&] { return !registry_->get("good"); }));
    EXPECT_TRUE(waitFor([&] { return !changesOf("good").empty(); }));
    EXPECT_EQ(changesOf("good").at(0).kind, ChangeKind::Unloaded);
    EXPECT_EQ(mappedCopies("good"), 0);
}

TEST_F(SkillWatcherTest, StopsPromptlyEvenWithLongInterval) {
    SkillWatcher watcher(*registry_, nullptr, std::chrono::seconds(30));
    watcher.start();
    watcher.start(); // already running: no second thread
    const auto begin = std::chrono::steady_clock::now();
    watcher.stop();
    watcher.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - begin, milliseconds(1000));
}

} // namespace
