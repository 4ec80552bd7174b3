// Isolation at spawn: each session of a git project in a worktree and branch of its own, made
// by the real server with the real git, in repositories of every shape.
#include "WorktreeSupport.h"

#include <fstream>
#include <gtest/gtest.h>

using namespace maestro::test;
using Poco::JSON::Object;
namespace fs = std::filesystem;

namespace {

std::size_t worktreeCount(const GitRepo& repo) {
    auto list = repo.git({"worktree", "list", "--porcelain"});
    std::size_t n = 0;
    for (std::size_t at = 0; (at = list.find("worktree ", at)) != std::string::npos; at += 9)
        ++n;
    return n;
}

} // namespace

TEST(WorktreeSpawn, ASessionOfAGitProjectWorksInItsOwnWorktreeAndBranch) {
    WorktreeServer s;
    auto http = s.client();
    auto project = createProject(http, s.repo->dir());
    auto task = createTask(http, project, "Port the parser!");
    auto before = checkoutFingerprint(s.repo->dir());

    auto created = spawnSession(http, task, "env");
    auto id = text(created, "id");
    auto worktree = created->getObject("worktree");
    ASSERT_TRUE(worktree) << "no worktree";
    auto path = s.worktrees() / project / id;
    EXPECT_EQ(text(worktree, "path"), path.string());
    EXPECT_EQ(text(worktree, "branch"), "maestro/port-the-parser-" + id.substr(id.size() - 8));
    EXPECT_EQ(text(worktree, "base"), "main");
    EXPECT_EQ(text(worktree, "baseCommit"), s.repo->head());
    EXPECT_EQ(text(worktree, "state"), "active");
    EXPECT_EQ(text(created, "cwd"), path.string());
    EXPECT_EQ(created->getObject("metadata")->getValue<std::string>("isolation"), "worktree");

    ASSERT_TRUE(waitForStatus(http, id, "completed"));
    auto output =
        http.get("/api/sessions/" + id + "/output").object()->getValue<std::string>("data");
    EXPECT_NE(output.find("CWD=" + path.string()), std::string::npos) << output;
    // The brief tells the agent where it works and what to do there.
    EXPECT_NE(output.find("maestro/port-the-parser-"), std::string::npos) << output;
    EXPECT_NE(output.find("commit"), std::string::npos) << output;

    EXPECT_EQ(GitRepo(path).read("shared.txt"), "line 1\nline 2\nline 3\n");
    EXPECT_EQ(worktreeCount(*s.repo), 2u);
    EXPECT_EQ(sessionBranches(*s.repo), std::vector<std::string>{text(worktree, "branch")});
    EXPECT_EQ(checkoutFingerprint(s.repo->dir()), before);
    // Inside the home, the worktrees are for the user only.
    EXPECT_EQ(fs::status(path.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST(WorktreeSpawn, AProjectInASubfolderWorksInThatFolderOfItsWorktree) {
    WorktreeServer s;
    s.repo->write("services/api/main.c", "int main;\n");
    s.repo->commit("api");
    auto http = s.client();
    auto project = createProject(http, s.repo->dir() / "services" / "api");
    auto created = spawnSession(http, createTask(http, project), "env");
    auto path = s.worktrees() / project / text(created, "id");
    EXPECT_EQ(text(created, "cwd"), (path / "services" / "api").string());
    EXPECT_EQ(text(created->getObject("worktree"), "repository"),
              fs::canonical(s.repo->dir()).string());
}

TEST(WorktreeSpawn, AFolderOutsideGitRunsInPlaceUnlessAWorktreeIsDemanded) {
    WorktreeServer s;
    auto plain = s.home() / "plain";
    fs::create_directories(plain);
    auto http = s.client();
    auto project = createProject(http, plain);
    auto task = createTask(http, project);

    auto created = spawnSession(http, task, "env");
    EXPECT_TRUE(created->isNull("worktree"));
    EXPECT_EQ(text(created, "cwd"), plain.string());
    EXPECT_EQ(created->getObject("metadata")->getValue<std::string>("isolation"), "none");

    auto refused = postSpawn(http, task, "env", R"(,"isolation":"worktree")");
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(text(refused.object(), "code"), "not_a_git_repository");
    // A refused spawn stores nothing: still one session.
    EXPECT_EQ(http.get("/api/sessions?projectId=" + project).array()->size(), 1u);
}

TEST(WorktreeSpawn, IsolationNoneRunsInTheCheckoutAndASpawnMayOverrideIt) {
    WorktreeServer s;
    auto http = s.client();
    auto project = createProject(http, s.repo->dir(), R"(,"isolation":"none")");
    EXPECT_EQ(text(http.get("/api/projects/" + project).object(), "isolation"), "none");
    auto task = createTask(http, project);
    auto inPlace = spawnSession(http, task, "env");
    EXPECT_TRUE(inPlace->isNull("worktree"));
    EXPECT_EQ(text(inPlace, "cwd"), s.repo->dir().string());
    auto isolated = spawnSession(http, task, "env", R"(,"isolation":"worktree")");
    EXPECT_FALSE(isolated->isNull("worktree"));

    auto bad = postSpawn(http, task, "env", R"(,"isolation":"container")");
    EXPECT_EQ(bad.status, 400);
    auto badProject = http.patch("/api/projects/" + project, R"({"isolation":"sometimes"})");
    EXPECT_EQ(badProject.status, 400);
    EXPECT_EQ(http.patch("/api/projects/" + project, R"({"isolation":null})").status, 200);
    EXPECT_TRUE(http.get("/api/projects/" + project).object()->isNull("isolation"));
}

TEST(WorktreeSpawn, ABareRepositoryGivesWorktreesAndAMergeMovesItsBranch) {
    WorktreeServer s;
    auto bareDir = s.home() / "bare.git";
    testGit().check(s.home(), {"clone", "-q", "--bare", s.repo->dir().string(), bareDir.string()});
    auto http = s.client();
    auto project = createProject(http, bareDir);
    auto created = spawnSession(http, createTask(http, project), "commit-and-exit");
    auto id = text(created, "id");
    ASSERT_FALSE(created->isNull("worktree"));
    EXPECT_EQ(text(created->getObject("worktree"), "base"), "main");
    ASSERT_TRUE(waitForStatus(http, id, "completed"));

    auto merged = http.post("/api/sessions/" + id + "/merge", R"({"strategy":"merge"})");
    ASSERT_EQ(merged.status, 200) << merged.body;
    GitRepo bare(bareDir);
    EXPECT_EQ(bare.git({"rev-parse", "main"}), text(merged.object(), "commit") + "\n");
    EXPECT_EQ(bare.git({"show", "main:shared.txt"}), "committed by " + id + "\n");
}

TEST(WorktreeSpawn, ADetachedHeadIsTheBaseAndTheMergeLandsOnTheCheckout) {
    WorktreeServer s;
    auto first = s.repo->head();
    s.repo->git({"checkout", "-q", "--detach", first});
    auto http = s.client();
    auto project = createProject(http, s.repo->dir());
    auto created = spawnSession(http, createTask(http, project), "edit-and-exit");
    auto id = text(created, "id");
    auto worktree = created->getObject("worktree");
    EXPECT_EQ(text(worktree, "base"), first);
    EXPECT_EQ(text(worktree, "baseCommit"), first);
    ASSERT_TRUE(waitForStatus(http, id, "completed"));

    auto changes = waitForChanges(http, id, [](const Poco::JSON::Object::Ptr& c) {
        return c->getValue<int>("fileCount") == 1;
    });
    EXPECT_EQ(changes->getValue<int>("behind"), 0);
    auto merged = http.post("/api/sessions/" + id + "/merge", "{}");
    ASSERT_EQ(merged.status, 200) << merged.body;
    EXPECT_EQ(s.repo->read("shared.txt"), "changed by " + id + "\n");
    EXPECT_EQ(s.repo->head(), text(merged.object(), "commit"));
    EXPECT_EQ(s.repo->git({"status", "--porcelain"}), "");
}

TEST(WorktreeSpawn, TheProjectsBaseBranchIsWhereWorktreesStartAndMustExist) {
    WorktreeServer s;
    s.repo->git({"branch", "release"});
    s.repo->write("main-only.txt", "x\n");
    s.repo->commit("on main only");
    auto http = s.client();
    auto project = createProject(http, s.repo->dir(), R"(,"baseBranch":"release")");
    auto task = createTask(http, project, "Same title");
    auto first = spawnSession(http, task, "env");
    auto worktree = first->getObject("worktree");
    EXPECT_EQ(text(worktree, "base"), "release");
    EXPECT_FALSE(fs::exists(fs::path(text(worktree, "path")) / "main-only.txt"));
    // Two sessions of one task: two branches.
    auto second = spawnSession(http, task, "env");
    EXPECT_NE(text(second->getObject("worktree"), "branch"), text(worktree, "branch"));

    ASSERT_EQ(http.patch("/api/projects/" + project, R"({"baseBranch":"gone"})").status, 200);
    auto refused = postSpawn(http, task, "env");
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(text(refused.object(), "code"), "invalid_base_branch");
    for (const char* bad : {R"("-D")", R"("a..b")", R"("x y")", "42"})
        EXPECT_EQ(
            http.patch("/api/projects/" + project, std::string(R"({"baseBranch":)") + bad + "}")
                .status,
            400)
            << bad;
}

TEST(WorktreeSpawn, SubmodulesAreCheckedOutInTheWorktree) {
    WorktreeServer s;
    auto lib = GitRepo::init(s.home() / "lib");
    lib.write("lib.h", "int lib;\n");
    lib.commit("lib");
    s.repo->git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", lib.dir().string(),
                 "vendor/lib"});
    s.repo->commit("add the submodule");
    auto http = s.client();
    auto project = createProject(http, s.repo->dir());
    auto created = spawnSession(http, createTask(http, project), "env");
    auto path = fs::path(text(created->getObject("worktree"), "path"));
    EXPECT_EQ(GitRepo(path).read("vendor/lib/lib.h"), "int lib;\n");
}

TEST(WorktreeSpawn, WithoutGitTheDefaultFallsBackWithANoteAndADemandIsRefused) {
    WorktreeServer s(R"(,"git":"/nonexistent/git")");
    auto http = s.client();
    auto project = createProject(http, s.repo->dir());
    auto task = createTask(http, project);
    auto created = spawnSession(http, task, "env");
    EXPECT_TRUE(created->isNull("worktree"));
    EXPECT_EQ(text(created, "cwd"), s.repo->dir().string());
    auto note = created->getObject("metadata")->optValue<std::string>("worktreeNote", "");
    EXPECT_NE(note.find("git is not installed"), std::string::npos) << note;

    auto refused = postSpawn(http, task, "env", R"(,"isolation":"worktree")");
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(text(refused.object(), "code"), "git_unavailable");
}

TEST(WorktreeSpawn, HooksSeeTheWorktreeAndARefusedSpawnLeavesNoWorktreeBehind) {
    WorktreeServer s;
    fs::copy(fs::path(MAESTRO_FIXTURE_SKILLS_DIR) / "sees_cwd",
             s.home() / "maestro-skills" / "sees_cwd", fs::copy_options::recursive);
    auto http = s.client();
    ASSERT_TRUE(waitUntil([&] { return http.get("/api/skills/sees_cwd").status == 200; }));
    auto project = createProject(http, s.repo->dir());
    auto task = createTask(http, project);
    auto created = spawnSession(http, task, "env");
    EXPECT_EQ(created->getObject("env")->getValue<std::string>("HOOK_SAW_CWD"),
              text(created, "cwd"));
    EXPECT_EQ(text(created, "cwd"), text(created->getObject("worktree"), "path"));

    fs::copy(fs::path(MAESTRO_FIXTURE_SKILLS_DIR) / "vetoes",
             s.home() / "maestro-skills" / "vetoes", fs::copy_options::recursive);
    ASSERT_TRUE(waitUntil([&] { return http.get("/api/skills/vetoes").status == 200; }));
    auto before = sessionBranches(*s.repo);
    auto vetoed = postSpawn(http, task, "env");
    ASSERT_EQ(vetoed.status, 422) << vetoed.body;
    EXPECT_EQ(text(vetoed.object(), "code"), "spawn_vetoed");
    EXPECT_EQ(sessionBranches(*s.repo), before);
    EXPECT_EQ(worktreeCount(*s.repo), 2u); // the checkout and the first session's
    std::size_t folders = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(s.worktrees() / project))
        ++folders;
    EXPECT_EQ(folders, 1u);
}
