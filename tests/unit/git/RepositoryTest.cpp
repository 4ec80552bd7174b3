// Single git operations on real repositories in temporary folders.
#include "git/Repository.h"

#include "GitRepo.h"
#include "TempDir.h"

#include <gtest/gtest.h>

using namespace maestro::host::git;
using maestro::test::GitRepo;
using maestro::test::TempDir;
using maestro::test::testGit;
namespace fs = std::filesystem;

TEST(Repository, ProbeTellsANonRepositoryFromAWorkTreeAndABareRepository) {
    TempDir dir;
    fs::create_directories(dir.path() / "plain");
    EXPECT_FALSE(Repository::probe(testGit(), dir.path() / "plain"));

    auto repo = GitRepo::init(dir.path() / "repo");
    repo.write("src/a.c", "int a;\n");
    auto head = repo.commit("first");
    auto info = Repository::probe(testGit(), dir.path() / "repo" / "src");
    ASSERT_TRUE(info);
    EXPECT_FALSE(info->bare);
    EXPECT_EQ(fs::canonical(info->topLevel), fs::canonical(dir.path() / "repo"));
    EXPECT_EQ(info->branch, "main");
    EXPECT_EQ(info->head, head);

    auto bare = GitRepo::init(dir.path() / "bare.git", "trunk", true);
    auto bareInfo = Repository::probe(testGit(), bare.dir());
    ASSERT_TRUE(bareInfo);
    EXPECT_TRUE(bareInfo->bare);
    EXPECT_TRUE(bareInfo->topLevel.empty());
    EXPECT_EQ(bareInfo->branch, "trunk");
    EXPECT_EQ(bareInfo->head, ""); // no commit yet
}

TEST(Repository, ProbeSeesADetachedHead) {
    TempDir dir;
    auto repo = GitRepo::init(dir.path());
    repo.write("a", "1\n");
    auto first = repo.commit("one");
    repo.write("a", "2\n");
    repo.commit("two");
    repo.git({"checkout", "-q", "--detach", first});
    auto info = Repository::probe(testGit(), dir.path());
    ASSERT_TRUE(info);
    EXPECT_EQ(info->branch, "");
    EXPECT_EQ(info->head, first);
}

TEST(Repository, AddsAWorktreeOnANewBranchThatTracksItsBase) {
    TempDir dir;
    auto repo = GitRepo::init(dir.path() / "repo");
    repo.write("a.txt", "a\n");
    repo.commit("first");
    Repository repository(testGit(), repo.dir());
    auto path = dir.path() / "wt";
    repository.addWorktree(path, "maestro/x-1", "refs/heads/main", true);
    EXPECT_EQ(GitRepo(path).read("a.txt"), "a\n");
    EXPECT_TRUE(repository.branchExists("maestro/x-1"));
    EXPECT_EQ(repository.branchesStartingWith("maestro/x"),
              std::vector<std::string>{"maestro/x-1"});
    auto status = Repository(testGit(), path).status();
    EXPECT_EQ(status.branch, "maestro/x-1");
    EXPECT_EQ(status.upstream, "main");
    EXPECT_EQ(status.ahead, 0);

    repository.removeWorktree(path);
    repository.deleteBranch("maestro/x-1");
    EXPECT_FALSE(fs::exists(path));
    EXPECT_FALSE(repository.branchExists("maestro/x-1"));
    EXPECT_EQ(repository.worktrees().size(), 1u);
}

TEST(Repository, NamesFromOutsideAreNeverOptions) {
    TempDir dir;
    auto repo = GitRepo::init(dir.path() / "repo");
    repo.write("a.txt", "a\n");
    repo.commit("first");
    Repository repository(testGit(), repo.dir());
    EXPECT_FALSE(repository.resolveCommit("--output=/tmp/x"));
    EXPECT_FALSE(repository.branchExists("--all"));
    EXPECT_THROW(repository.addWorktree(dir.path() / "wt", "-D", "refs/heads/main", true),
                 GitError);
    EXPECT_FALSE(fs::exists(dir.path() / "wt"));
}

TEST(Repository, RemovesAWorktreeWhoseFolderIsAlreadyGone) {
    TempDir dir;
    auto repo = GitRepo::init(dir.path() / "repo");
    repo.write("a.txt", "a\n");
    repo.commit("first");
    Repository repository(testGit(), repo.dir());
    auto path = dir.path() / "wt";
    repository.addWorktree(path, "maestro/gone", "refs/heads/main", true);
    fs::remove_all(path);
    repository.removeWorktree(path);
    EXPECT_EQ(repository.worktrees().size(), 1u);
}

TEST(Repository, CommitsEverythingWithAFallbackIdentity) {
    TempDir dir;
    auto repo = GitRepo::init(dir.path() / "repo");
    repo.write("a.txt", "a\n");
    repo.commit("first");
    repo.git({"config", "--unset", "user.name"});
    repo.git({"config", "--unset", "user.email"});
    repo.write("b.txt", "b\n");
    // No identity in the repository (and, in the tests' environment, none global either).
    auto commit = Repository(testGit(), repo.dir()).commitAll("work");
    if (!commit) FAIL() << "nothing committed";
    EXPECT_EQ(*commit, repo.head());
    if (!testGit().run(repo.dir(), {"config", "--global", "user.name"}).ok()) {
        EXPECT_EQ(repo.git({"log", "-1", "--format=%an <%ae>"}), "Maestro <maestro@localhost>\n");
    }
    EXPECT_EQ(repo.git({"status", "--porcelain"}), "");
    EXPECT_FALSE(Repository(testGit(), repo.dir()).commitAll("again"));
}
