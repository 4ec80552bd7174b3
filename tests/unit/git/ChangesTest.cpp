// Change sets of real worktrees: committed, uncommitted and untracked work against the base.
#include "git/Changes.h"

#include "GitRepo.h"
#include "TempDir.h"

#include <gtest/gtest.h>

using namespace maestro::host::git;
using maestro::test::GitRepo;
using maestro::test::TempDir;
using maestro::test::testGit;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    TempDir dir;
    GitRepo repo = GitRepo::init(dir.path() / "repo");
    fs::path path = dir.path() / "wt";
    std::unique_ptr<Repository> worktree;

    Fixture() {
        repo.write("keep.txt", "one\ntwo\nthree\n");
        repo.write("gone.txt", "bye\n");
        repo.commit("base");
        Repository(testGit(), repo.dir()).addWorktree(path, "maestro/t-1", "refs/heads/main", true);
        worktree = std::make_unique<Repository>(testGit(), path);
    }
    GitRepo wt() const { return GitRepo(path); }
    ChangeSet read(const ChangeSet* previous = nullptr) const {
        ChangeReader reader(*worktree, "main");
        return reader.read(reader.look(), previous);
    }
    const FileChange* file(const ChangeSet& changes, const std::string& name) const {
        for (const auto& f : changes.files)
            if (f.path == name) return &f;
        return nullptr;
    }
};

} // namespace

TEST(Changes, AnUntouchedWorktreeHasNoChanges) {
    Fixture f;
    auto changes = f.read();
    EXPECT_EQ(changes.branch, "maestro/t-1");
    EXPECT_EQ(changes.base, "main");
    EXPECT_EQ(changes.ahead, 0);
    EXPECT_EQ(changes.behind, 0);
    EXPECT_TRUE(changes.files.empty());
}

TEST(Changes, CommittedUncommittedAndUntrackedWorkAreOneSet) {
    Fixture f;
    auto wt = f.wt();
    wt.write("keep.txt", "one\nTWO\nthree\nfour\n");
    wt.git({"rm", "-q", "gone.txt"});
    wt.commit("committed work");
    wt.write("keep.txt", "one\nTWO\nthree\nfour\nfive\n"); // and more, uncommitted
    wt.write("new dir/untracked é.txt", "a\nb");           // no final newline
    wt.write("-rf", "dash\n");
    wt.write("blob.bin", std::string("\0\1\2", 3));

    auto changes = f.read();
    EXPECT_EQ(changes.ahead, 1);
    ASSERT_EQ(changes.files.size(), 5u);
    auto* keep = f.file(changes, "keep.txt");
    ASSERT_TRUE(keep);
    EXPECT_EQ(keep->status, "modified");
    EXPECT_EQ(keep->additions, 3);
    EXPECT_EQ(keep->deletions, 1);
    EXPECT_TRUE(keep->uncommitted);
    auto* gone = f.file(changes, "gone.txt");
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->status, "deleted");
    EXPECT_EQ(gone->deletions, 1);
    EXPECT_FALSE(gone->uncommitted);
    auto* untracked = f.file(changes, "new dir/untracked é.txt");
    ASSERT_TRUE(untracked);
    EXPECT_EQ(untracked->status, "added");
    EXPECT_EQ(untracked->additions, 2);
    EXPECT_TRUE(untracked->untracked);
    EXPECT_TRUE(f.file(changes, "-rf"));
    auto* blob = f.file(changes, "blob.bin");
    ASSERT_TRUE(blob);
    EXPECT_TRUE(blob->binary);
}

TEST(Changes, TheFingerprintMovesWithEveryKindOfChangeAndOnlyThen) {
    Fixture f;
    ChangeReader reader(*f.worktree, "main");
    auto first = reader.look().fingerprint;
    EXPECT_EQ(reader.look().fingerprint, first);
    f.wt().write("keep.txt", "edited\n");
    auto edited = reader.look().fingerprint;
    EXPECT_NE(edited, first);
    f.wt().write("keep.txt", "edited again, same status\n");
    auto again = reader.look().fingerprint;
    EXPECT_NE(again, edited);
    f.wt().commit("commit");
    auto committed = reader.look().fingerprint;
    EXPECT_NE(committed, again);
    f.repo.write("base-moves.txt", "x\n");
    f.repo.commit("the base moves on");
    EXPECT_NE(reader.look().fingerprint, committed);
}

TEST(Changes, TheBaseMovingOnCountsAsBehind) {
    Fixture f;
    f.wt().write("mine.txt", "mine\n");
    f.wt().commit("mine");
    f.repo.write("theirs.txt", "theirs\n");
    f.repo.commit("theirs");
    auto changes = f.read();
    EXPECT_EQ(changes.ahead, 1);
    EXPECT_EQ(changes.behind, 1);
    // The base's new file is not the session's change.
    ASSERT_EQ(changes.files.size(), 1u);
    EXPECT_EQ(changes.files[0].path, "mine.txt");
}

TEST(Changes, ReusesWhatItKnowsAndSeesWhatMoved) {
    Fixture f;
    f.wt().write("u.txt", "1\n2\n");
    auto first = f.read();
    auto same = f.read(&first);
    EXPECT_TRUE(same.sameAs(first));
    f.wt().write("u.txt", "1\n2\n3\n");
    auto grown = f.read(&first);
    EXPECT_FALSE(grown.sameAs(first));
    EXPECT_EQ(grown.files[0].additions, 3);
}

TEST(Changes, TheDiffShowsTrackedAndUntrackedFilesAndOnePathLiterally) {
    Fixture f;
    f.wt().write("keep.txt", "one\nTWO\nthree\n");
    f.wt().write("*.txt", "a star\n");
    ChangeReader reader(*f.worktree, "main");
    auto changes = reader.read(reader.look(), nullptr);
    auto all = reader.diff(changes, std::nullopt, 1 << 20);
    EXPECT_NE(all.find("diff --git a/keep.txt b/keep.txt"), std::string::npos) << all;
    EXPECT_NE(all.find("-two\n+TWO\n"), std::string::npos) << all;
    EXPECT_NE(all.find("+++ b/*.txt"), std::string::npos) << all;

    // "*.txt" is a file here, not a pattern matching keep.txt.
    auto star = reader.diff(changes, std::string("*.txt"), 1 << 20);
    EXPECT_EQ(star.find("keep.txt"), std::string::npos) << star;
    EXPECT_NE(star.find("+a star"), std::string::npos) << star;
    auto keep = reader.diff(changes, std::string("keep.txt"), 1 << 20);
    EXPECT_EQ(keep.find("*.txt"), std::string::npos) << keep;

    EXPECT_THROW(reader.diff(changes, std::nullopt, 10), GitError);
}
