// The isolation decision and worktree making of a spawn, with chosen session ids, on real
// repositories and a real (temporary) database.
#include "worktree/WorktreeService.h"

#include "GitRepo.h"
#include "HttpClient.h"
#include "TempDir.h"
#include "domain/ApiError.h"
#include "domain/JsonInput.h"
#include "service/EventBus.h"
#include "service/Services.h"

#include <gtest/gtest.h>

using namespace maestro;
using host::worktree::Placement;
using host::worktree::WorktreeService;
using test::GitRepo;
using test::TempDir;
namespace fs = std::filesystem;

class WorktreeServiceTest : public ::testing::Test {
protected:
    WorktreeServiceTest() {
        repo_.write("a.txt", "a\n");
        repo_.commit("first");
    }

    WorktreeService service(const host::git::Git& git) {
        return WorktreeService(git, *db_, services_.recorder, services_.sessions, services_.tasks,
                               {dir_.path() / "worktrees"});
    }
    domain::Project project(const std::string& body) {
        auto json = services_.projects.create(
            domain::parseProjectDraft(domain::JsonInput::parseObject(body)));
        return domain::projectFromJson(json);
    }
    domain::Project repoProject() {
        return project(R"({"name":"P","workingDir":)" + test::quote(repo_.dir().string()) + "}");
    }
    std::string code(const std::function<void()>& call) {
        try {
            call();
        } catch (const domain::ApiError& e) {
            return std::to_string(e.status()) + " " + e.code();
        }
        return "no error";
    }

    TempDir dir_;
    GitRepo repo_ = GitRepo::init(dir_.path() / "repo");
    std::unique_ptr<host::store::Database> db_ =
        host::store::Database::openSqlite(dir_.path() / "maestro.db");
    host::service::EventBus bus_;
    host::service::Services services_{*db_, bus_};
};

TEST_F(WorktreeServiceTest, ATakenBranchNameGetsTheFirstFreeSuffix) {
    auto worktrees = service(test::testGit());
    auto project = repoProject();
    repo_.git({"branch", "maestro/port-it-abcdefgh"});
    repo_.git({"branch", "maestro/port-it-abcdefgh-2"});
    auto placement = worktrees.place(project, "sess_1_xxabcdefgh", "Port it", std::nullopt);
    ASSERT_TRUE(placement.worktree);
    EXPECT_EQ(placement.worktree->branch, "maestro/port-it-abcdefgh-3");
    EXPECT_EQ(GitRepo(placement.worktree->path).read("a.txt"), "a\n");
    // The branches that were there are as they were.
    EXPECT_EQ(repo_.git({"rev-parse", "maestro/port-it-abcdefgh"}),
              repo_.git({"rev-parse", "main"}));

    worktrees.abandon(*placement.worktree);
    EXPECT_FALSE(fs::exists(placement.worktree->path));
    EXPECT_FALSE(repo_.git({"branch", "--list", "maestro/port-it-abcdefgh-3"}).size());
    EXPECT_TRUE(repo_.git({"branch", "--list", "maestro/port-it-abcdefgh"}).size());
}

TEST_F(WorktreeServiceTest, WithoutGitTheDefaultFallsBackAndADemandIsRefused) {
    host::git::Git missing{fs::path{}};
    auto worktrees = service(missing);
    auto project = repoProject();
    auto placement = worktrees.place(project, "sess_1_a", "T", std::nullopt);
    EXPECT_FALSE(placement.worktree);
    EXPECT_EQ(placement.cwd, repo_.dir().string());
    EXPECT_NE(placement.note.find("git is not installed"), std::string::npos);
    EXPECT_EQ(code([&] { worktrees.place(project, "sess_1_a", "T", domain::Isolation::Worktree); }),
              "422 git_unavailable");
}

TEST_F(WorktreeServiceTest, ARepositoryWithoutCommitsFallsBackOrIsRefused) {
    auto empty = GitRepo::init(dir_.path() / "empty");
    auto worktrees = service(test::testGit());
    auto project =
        this->project(R"({"name":"E","workingDir":)" + test::quote(empty.dir().string()) + "}");
    auto placement = worktrees.place(project, "sess_1_a", "T", std::nullopt);
    EXPECT_FALSE(placement.worktree);
    EXPECT_NE(placement.note.find("no commit"), std::string::npos);
    EXPECT_EQ(code([&] { worktrees.place(project, "sess_1_a", "T", domain::Isolation::Worktree); }),
              "422 worktree_failed");
    EXPECT_FALSE(fs::exists(dir_.path() / "worktrees" / project.id / "sess_1_a"));
}

TEST_F(WorktreeServiceTest, IsolationNoneIsNeverAWorktree) {
    auto worktrees = service(test::testGit());
    auto project = this->project(R"({"name":"N","isolation":"none","workingDir":)" +
                                 test::quote(repo_.dir().string()) + "}");
    EXPECT_FALSE(worktrees.place(project, "sess_1_a", "T", std::nullopt).worktree);
    EXPECT_TRUE(worktrees.place(project, "sess_1_b", "T", domain::Isolation::Worktree).worktree);
    EXPECT_FALSE(worktrees.place(repoProject(), "sess_1_c", "T", domain::Isolation::None).worktree);
}

TEST_F(WorktreeServiceTest, TellsWhetherASessionHasWorkItsBaseLacks) {
    auto worktrees = service(test::testGit());
    auto project = repoProject();
    auto taskJson = services_.tasks.create(domain::parseTaskDraft(
        domain::JsonInput::parseObject(R"({"projectId":")" + project.id + R"(","title":"T"})"),
        domain::DraftKind::Task));
    auto taskId = domain::JsonInput::parseObject(taskJson).requiredString("id");
    auto placement = worktrees.place(project, "sess_1_reviewme", "T", std::nullopt);
    ASSERT_TRUE(placement.worktree);
    domain::Session session;
    session.id = "sess_1_reviewme";
    session.projectId = project.id;
    session.taskIds = {taskId};
    session.worktree = placement.worktree;
    session.status = domain::SessionStatus::Completed; // its agent is done
    services_.sessions.createSpawning(session, "{}", std::nullopt);

    EXPECT_FALSE(worktrees.hasUnmergedChanges(session.id));
    GitRepo(placement.worktree->path).write("work.txt", "done\n");
    EXPECT_TRUE(worktrees.hasUnmergedChanges(session.id));
    EXPECT_THROW(worktrees.hasUnmergedChanges("sess_unknown_x"), domain::ApiError);
    worktrees.discard(session.id, false);
    EXPECT_FALSE(worktrees.hasUnmergedChanges(session.id));
}
