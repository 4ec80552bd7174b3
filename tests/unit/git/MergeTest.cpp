// Merging a session branch into its base without ever leaving the checkout half-merged.
#include "git/Merge.h"

#include "GitRepo.h"
#include "TempDir.h"
#include "git/Repository.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace maestro::host::git;
using maestro::test::checkoutFingerprint;
using maestro::test::GitRepo;
using maestro::test::TempDir;
using maestro::test::testGit;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    TempDir dir;
    GitRepo repo = GitRepo::init(dir.path() / "repo");
    fs::path path = dir.path() / "wt";

    Fixture() {
        repo.write("shared.txt", "a\nb\nc\n");
        repo.write("other.txt", "x\n");
        repo.commit("base");
        Repository(testGit(), repo.dir()).addWorktree(path, "maestro/s-1", "refs/heads/main", true);
    }
    GitRepo wt() const { return GitRepo(path); }
    MergeOutcome merge(MergeStrategy strategy = MergeStrategy::Merge) const {
        return maestro::host::git::merge(testGit(),
                                         {repo.dir(), "main", "maestro/s-1", strategy, "Merge it"});
    }
};

std::vector<std::string> parents(const GitRepo& repo, const std::string& commit) {
    auto text = repo.git({"rev-list", "--parents", "-n", "1", commit});
    std::vector<std::string> out;
    std::istringstream words(text);
    for (std::string word; words >> word;)
        out.push_back(word);
    out.erase(out.begin());
    return out;
}

} // namespace

TEST(Merge, ACleanMergeMovesTheBaseAndTheCheckoutsFiles) {
    Fixture f;
    f.wt().write("shared.txt", "a\nB\nc\n");
    f.wt().write("new.txt", "new\n");
    auto branchTip = f.wt().commit("work");
    auto before = f.repo.head();

    auto outcome = f.merge();
    ASSERT_EQ(outcome.kind, MergeOutcome::Kind::Merged);
    EXPECT_EQ(f.repo.head(), outcome.commit);
    EXPECT_EQ(parents(f.repo, outcome.commit), (std::vector<std::string>{before, branchTip}));
    EXPECT_EQ(outcome.files, (std::vector<std::string>{"new.txt", "shared.txt"}));
    EXPECT_EQ(f.repo.read("shared.txt"), "a\nB\nc\n");
    EXPECT_EQ(f.repo.read("new.txt"), "new\n");
    EXPECT_EQ(f.repo.git({"status", "--porcelain"}), "");
    EXPECT_EQ(f.repo.git({"log", "-1", "--format=%s"}), "Merge it\n");
}

TEST(Merge, SquashMakesOneCommitWithTheBaseAsOnlyParent) {
    Fixture f;
    f.wt().write("new.txt", "1\n");
    f.wt().commit("one");
    f.wt().write("new.txt", "1\n2\n");
    f.wt().commit("two");
    auto before = f.repo.head();
    auto outcome = f.merge(MergeStrategy::Squash);
    ASSERT_EQ(outcome.kind, MergeOutcome::Kind::Merged);
    EXPECT_EQ(parents(f.repo, outcome.commit), std::vector<std::string>{before});
    EXPECT_EQ(f.repo.read("new.txt"), "1\n2\n");
}

TEST(Merge, AConflictChangesNothingInTheCheckout) {
    Fixture f;
    f.wt().write("shared.txt", "a\nSESSION\nc\n");
    f.wt().commit("session edit");
    f.repo.write("shared.txt", "a\nBASE\nc\n");
    f.repo.commit("base edit");
    f.repo.write("other.txt", "dirty but unrelated\n");
    auto before = checkoutFingerprint(f.repo.dir());

    auto outcome = f.merge();
    EXPECT_EQ(outcome.kind, MergeOutcome::Kind::Conflict);
    EXPECT_EQ(outcome.files, std::vector<std::string>{"shared.txt"});
    EXPECT_EQ(checkoutFingerprint(f.repo.dir()), before);
    EXPECT_FALSE(fs::exists(f.repo.dir() / ".git" / "MERGE_HEAD"));
}

TEST(Merge, LocalChangesToAFileTheMergeChangesRefuseIt) {
    Fixture f;
    f.wt().write("shared.txt", "a\nB\nc\n");
    f.wt().write("added.txt", "from the session\n");
    f.wt().commit("work");
    f.repo.write("shared.txt", "a\nb\nc\nlocal edit\n");
    f.repo.write("added.txt", "untracked in the checkout\n");
    auto before = checkoutFingerprint(f.repo.dir());

    auto outcome = f.merge();
    EXPECT_EQ(outcome.kind, MergeOutcome::Kind::CheckoutDirty);
    EXPECT_EQ(outcome.files, (std::vector<std::string>{"shared.txt", "added.txt"}));
    EXPECT_EQ(checkoutFingerprint(f.repo.dir()), before);
}

TEST(Merge, LocalChangesToOtherFilesStayAsTheyWere) {
    Fixture f;
    f.wt().write("shared.txt", "a\nB\nc\n");
    f.wt().commit("work");
    f.repo.write("other.txt", "local edit\n");
    f.repo.write("notes.txt", "untracked\n");
    f.repo.git({"add", "notes.txt"});

    auto outcome = f.merge();
    ASSERT_EQ(outcome.kind, MergeOutcome::Kind::Merged);
    EXPECT_EQ(f.repo.read("shared.txt"), "a\nB\nc\n");
    EXPECT_EQ(f.repo.read("other.txt"), "local edit\n");
    EXPECT_EQ(f.repo.git({"status", "--porcelain"}), "A  notes.txt\n M other.txt\n");
}

TEST(Merge, ABaseCheckedOutNowhereOnlyMovesItsRef) {
    Fixture f;
    f.wt().write("new.txt", "new\n");
    f.wt().commit("work");
    f.repo.git({"checkout", "-q", "-b", "elsewhere"});
    auto before = checkoutFingerprint(f.repo.dir());
    auto outcome = f.merge();
    ASSERT_EQ(outcome.kind, MergeOutcome::Kind::Merged);
    EXPECT_TRUE(outcome.checkout.empty());
    EXPECT_EQ(f.repo.git({"rev-parse", "main"}), outcome.commit + "\n");
    // Only the main branch moved; the checkout (on another branch) did not.
    EXPECT_FALSE(fs::exists(f.repo.dir() / "new.txt"));
    EXPECT_NE(checkoutFingerprint(f.repo.dir()), before); // the ref of main
}

TEST(Merge, ABranchWithNothingNewIsUpToDate) {
    Fixture f;
    auto before = f.repo.head();
    auto outcome = f.merge();
    EXPECT_EQ(outcome.kind, MergeOutcome::Kind::UpToDate);
    EXPECT_EQ(f.repo.head(), before);
}

TEST(Merge, IntoABareRepository) {
    TempDir dir;
    auto seed = GitRepo::init(dir.path() / "seed");
    seed.write("a.txt", "a\n");
    seed.commit("first");
    testGit().check(dir.path(), {"clone", "-q", "--bare", seed.dir().string(),
                                 (dir.path() / "bare.git").string()});
    Repository bare(testGit(), dir.path() / "bare.git");
    auto path = dir.path() / "wt";
    bare.addWorktree(path, "maestro/b-1", "refs/heads/main", true);
    GitRepo wt(path);
    wt.git({"config", "user.name", "T"});
    wt.git({"config", "user.email", "t@example.com"});
    wt.write("b.txt", "b\n");
    wt.commit("work");
    auto outcome = merge(testGit(), {bare.dir(), "main", "maestro/b-1", MergeStrategy::Merge, "m"});
    ASSERT_EQ(outcome.kind, MergeOutcome::Kind::Merged);
    EXPECT_EQ(bare.resolveCommit("refs/heads/main"), outcome.commit);
}
