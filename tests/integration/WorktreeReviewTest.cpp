// The attention inbox's review items: a session that ended with changes in its worktree waits
// for a person to merge or discard them — real server, real git, agents that really edit files.
#include "WorktreeSupport.h"
#include "WsClient.h"

#include <gtest/gtest.h>

using namespace maestro::test;
using Poco::JSON::Object;
namespace fs = std::filesystem;

namespace {

// A server, a project on its repository, a task, and a WebSocket client subscribed to it all.
struct ReviewSetup {
    WorktreeServer s;
    HttpClient http = s.client();
    std::string project = createProject(http, s.repo->dir());
    std::string task = createTask(http, project, "Port the parser");
    WsClient ws{s.server->port()};

    ReviewSetup() {
        ws.receive();
        ws.send(R"({"type":"subscribe"})");
        ws.receiveUntil([](const Object::Ptr& m) { return text(m, "type") == "subscribed"; });
    }
    std::string finished(const std::string& agent, const std::string& status = "completed") {
        auto id = text(spawnSession(http, task, agent), "id");
        EXPECT_TRUE(waitForStatus(http, id, status)) << id;
        return id;
    }
    Object::Ptr worktreeOf(const std::string& id) {
        return session(http, id)->getObject("worktree");
    }
};

} // namespace

TEST(WorktreeReview, AFinishedSessionWithChangesWaitsForReviewUntilMerged) {
    ReviewSetup t;
    auto id = t.finished("edit-and-exit");
    ASSERT_TRUE(waitForItem(t.http, "review", id));
    EXPECT_TRUE(attentionChanged(t.ws, t.project));

    auto item = attentionItem(t.http, "review", id);
    auto branch = text(t.worktreeOf(id), "branch");
    EXPECT_EQ(text(item, "id"), "review:" + id);
    EXPECT_EQ(text(item, "projectId"), t.project);
    EXPECT_EQ(text(item, "summary"), text(session(t.http, id), "name") + ": 1 file changed on " +
                                         branch + ", waiting to merge");
    EXPECT_EQ(item->getValue<std::int64_t>("since"),
              session(t.http, id)->getValue<std::int64_t>("completedAt"));
    EXPECT_EQ(t.worktreeOf(id)->getValue<int>("changedFiles"), 1);
    // Only in its own project's inbox.
    auto other = createProject(t.http, t.s.home());
    EXPECT_TRUE(attentionItems(t.http, "?projectId=" + other).empty());
    EXPECT_EQ(attentionItems(t.http, "?projectId=" + t.project).size(), 1u);

    auto merged = t.http.post("/api/sessions/" + id + "/merge", "{}");
    ASSERT_EQ(merged.status, 200) << merged.body;
    EXPECT_TRUE(attentionChanged(t.ws, t.project));
    EXPECT_EQ(attentionItem(t.http, "review", id), nullptr);
    EXPECT_TRUE(attentionItems(t.http).empty());
}

TEST(WorktreeReview, ADiscardClearsItADismissalHidesItAcrossARestart) {
    ReviewSetup t;
    auto kept = t.finished("commit-and-exit");
    auto dropped = t.finished("edit-and-exit");
    ASSERT_TRUE(waitForItem(t.http, "review", kept));
    ASSERT_TRUE(waitForItem(t.http, "review", dropped));

    auto discarded = t.http.post("/api/sessions/" + dropped + "/discard", "{}");
    ASSERT_EQ(discarded.status, 200) << discarded.body;
    EXPECT_EQ(attentionItem(t.http, "review", dropped), nullptr);

    auto dismissed = t.http.post("/api/attention/dismiss", R"({"ids":["review:)" + kept + R"("]})");
    ASSERT_EQ(dismissed.status, 200) << dismissed.body;
    EXPECT_EQ(strings(dismissed.object()->getArray("dismissed")),
              std::vector<std::string>{"review:" + kept});
    EXPECT_TRUE(attentionItems(t.http).empty());

    t.s.restart();
    auto http = t.s.client();
    EXPECT_TRUE(attentionItems(http).empty());
    // Dismissed, not forgotten: the work is still there to merge.
    auto worktree = session(http, kept)->getObject("worktree");
    EXPECT_EQ(text(worktree, "state"), "active");
    EXPECT_EQ(worktree->getValue<int>("changedFiles"), 1);
    EXPECT_EQ(http.post("/api/sessions/" + kept + "/merge", "{}").status, 200);
}

TEST(WorktreeReview, AFailedSessionWithChangesIsBothFailedAndToReview) {
    ReviewSetup t;
    auto id = text(spawnSession(t.http, t.task, "edit-shared"), "id");
    ASSERT_TRUE(waitForOutput(t.http, id, "edited"));
    // Ctrl+C: the agent dies of SIGINT.
    ASSERT_EQ(t.http.post("/api/sessions/" + id + "/input", R"({"data":"\u0003"})").status, 200);
    ASSERT_TRUE(waitForStatus(t.http, id, "failed"));
    ASSERT_TRUE(waitForItem(t.http, "review", id));
    EXPECT_NE(attentionItem(t.http, "failed", id), nullptr);

    // Dismissing the failure leaves the work to review.
    ASSERT_EQ(t.http.post("/api/attention/dismiss", R"({"ids":["failed:)" + id + R"("]})").status,
              200);
    EXPECT_EQ(attentionItem(t.http, "failed", id), nullptr);
    EXPECT_NE(attentionItem(t.http, "review", id), nullptr);
}

TEST(WorktreeReview, AStoppedSessionIsToReviewAndOneThatChangedNothingIsNot) {
    ReviewSetup t;
    auto quiet = t.finished("env");
    auto stopped = text(spawnSession(t.http, t.task, "edit-shared"), "id");
    ASSERT_TRUE(waitForOutput(t.http, stopped, "edited"));
    ASSERT_EQ(t.http.post("/api/sessions/" + stopped + "/stop", "{}").status, 200);
    ASSERT_TRUE(waitForStatus(t.http, stopped, "stopped"));
    ASSERT_TRUE(waitForItem(t.http, "review", stopped));

    ASSERT_TRUE(waitUntil([&] { return !t.worktreeOf(quiet)->isNull("changedFiles"); },
                          std::chrono::seconds(10)));
    EXPECT_EQ(t.worktreeOf(quiet)->getValue<int>("changedFiles"), 0);
    EXPECT_EQ(attentionItem(t.http, "review", quiet), nullptr);
    EXPECT_EQ(attentionItems(t.http).size(), 1u);
}

TEST(WorktreeReview, WorkUndoneByHandAfterTheEndLeavesNothingToReview) {
    ReviewSetup t;
    auto id = t.finished("edit-and-exit");
    ASSERT_TRUE(waitForItem(t.http, "review", id));
    auto path = fs::path(text(t.worktreeOf(id), "path"));
    GitRepo(path).git({"checkout", "--", "shared.txt"});

    // Looking at its changes counts them again.
    auto changes = t.http.get("/api/sessions/" + id + "/changes");
    ASSERT_EQ(changes.status, 200) << changes.body;
    EXPECT_EQ(changes.object()->getValue<int>("fileCount"), 0);
    EXPECT_EQ(t.worktreeOf(id)->getValue<int>("changedFiles"), 0);
    EXPECT_TRUE(attentionChanged(t.ws, t.project));
    EXPECT_EQ(attentionItem(t.http, "review", id), nullptr);
}
