// A session's changes, live, and what becomes of them: diffs, merges, conflicts, discards and
// overlaps between sessions — real server, real git, agents that really edit files.
#include "WorktreeSupport.h"
#include "WsClient.h"

#include <gtest/gtest.h>

using namespace maestro::test;
using Poco::JSON::Object;
namespace fs = std::filesystem;

namespace {

Object::Ptr fileOf(const Object::Ptr& changes, const std::string& path) {
    auto files = changes->getArray("files");
    for (std::size_t i = 0; files && i < files->size(); ++i) {
        auto file = files->getObject(static_cast<unsigned>(i));
        if (file->getValue<std::string>("path") == path) return file;
    }
    return nullptr;
}

// A server, a project on its repository and a task.
struct ProjectSetup {
    WorktreeServer s;
    HttpClient http = s.client();
    std::string project = createProject(http, s.repo->dir());
    std::string task = createTask(http, project, "Port the parser");

    std::string start(const std::string& agent) {
        return text(spawnSession(http, task, agent), "id");
    }
    HttpResult merge(const std::string& id, const std::string& body = "{}") {
        return http.post("/api/sessions/" + id + "/merge", body);
    }
};

} // namespace

TEST(WorktreeChanges, CommittedUncommittedAndNewFilesAreOneChangeSetWithADiff) {
    ProjectSetup t;
    auto id = t.start("edit-shared");
    ASSERT_TRUE(waitForOutput(t.http, id, "edited"));
    type(t.http, id, "append notes/new.md hello");
    ASSERT_TRUE(waitForOutput(t.http, id, "appended"));

    auto changes = waitForChanges(t.http, id, [](const Poco::JSON::Object::Ptr& c) {
        return c->getValue<int>("fileCount") == 2;
    });
    ASSERT_TRUE(changes);
    EXPECT_EQ(changedPaths(changes), (std::vector<std::string>{"notes/new.md", "shared.txt"}));
    EXPECT_EQ(text(changes, "base"), "main");
    EXPECT_EQ(text(changes, "sessionId"), id);
    auto shared = fileOf(changes, "shared.txt");
    EXPECT_EQ(text(shared, "status"), "modified");
    EXPECT_EQ(shared->getValue<int>("additions"), 1);
    EXPECT_EQ(shared->getValue<int>("deletions"), 3);
    EXPECT_TRUE(shared->getValue<bool>("uncommitted"));
    EXPECT_EQ(text(fileOf(changes, "notes/new.md"), "status"), "added");
    EXPECT_EQ(changes->getValue<int>("additions"), 2);
    EXPECT_EQ(changes->getValue<int>("deletions"), 3);

    auto diff = t.http.get("/api/sessions/" + id + "/diff");
    ASSERT_EQ(diff.status, 200);
    EXPECT_EQ(diff.header("content-type"), "text/x-diff");
    EXPECT_NE(diff.body.find("+changed by " + id), std::string::npos) << diff.body;
    EXPECT_NE(diff.body.find("+++ b/notes/new.md"), std::string::npos) << diff.body;
    auto one = t.http.get("/api/sessions/" + id + "/diff?path=notes%2Fnew.md");
    ASSERT_EQ(one.status, 200);
    EXPECT_EQ(one.body.find("shared.txt"), std::string::npos) << one.body;
    EXPECT_NE(one.body.find("+hello"), std::string::npos);
    type(t.http, id, "quit");
}

TEST(WorktreeChanges, TheDiffPathMustBeAChangedFileAndNothingElse) {
    ProjectSetup t;
    auto id = t.start("edit-shared");
    waitForChanges(t.http, id, [](const Poco::JSON::Object::Ptr& c) {
        return c->getValue<int>("fileCount") == 1;
    });
    for (std::string query : {"other.txt", "--output=%2Ftmp%2Fpwned", "..%2F..%2F..%2Fetc%2Fpasswd",
                              "%2Fetc%2Fpasswd", "shared.*", ":(glob)*", "shared.txt%2F"}) {
        auto result = t.http.get("/api/sessions/" + id + "/diff?path=" + query);
        EXPECT_EQ(result.status, 404) << query << " " << result.body;
        EXPECT_EQ(text(result.object(), "code"), "path_not_changed") << query;
    }
    for (const auto& query :
         std::vector<std::string>{"", "%00", "%ff%fe", std::string(5000, 'a')}) {
        auto result = t.http.get("/api/sessions/" + id + "/diff?path=" + query);
        EXPECT_EQ(result.status, 400) << query.substr(0, 20);
        EXPECT_EQ(text(result.object(), "code"), "invalid_query");
    }
    EXPECT_FALSE(fs::exists("/tmp/pwned"));
    EXPECT_EQ(t.http.get("/api/sessions/sess_nope/changes").status, 404);
    type(t.http, id, "quit");
}

TEST(WorktreeChanges, ChangesAreAnnouncedAsTheyMove) {
    ProjectSetup t;
    WsClient ws(t.s.server->port());
    ws.receive();
    ws.send(R"({"type":"subscribe"})");
    auto id = t.start("edit-shared");
    auto first = ws.receiveUntil([&](const Object::Ptr& m) {
        if (text(m, "type") != "session:changes") return false;
        auto data = m->getObject("data");
        return text(data, "sessionId") == id && data->getValue<int>("fileCount") == 1;
    });
    ASSERT_TRUE(first) << "no session:changes";
    EXPECT_EQ(text((*first)->getObject("data"), "projectId"), t.project);

    type(t.http, id, "append shared.txt more");
    auto second = ws.receiveUntil([&](const Object::Ptr& m) {
        return text(m, "type") == "session:changes" &&
               text(m->getObject("data"), "sessionId") == id &&
               m->getObject("data")->getValue<int>("additions") == 2;
    });
    ASSERT_TRUE(second) << "the second edit was not announced";
    type(t.http, id, "quit");
}

TEST(WorktreeChanges, AMergeCommitsTheWorkAndBringsItIntoTheCheckout) {
    ProjectSetup t;
    auto id = t.start("edit-and-exit");
    ASSERT_TRUE(waitForStatus(t.http, id, "completed"));
    auto worktree = session(t.http, id)->getObject("worktree");
    auto path = fs::path(text(worktree, "path"));
    auto branch = text(worktree, "branch");
    auto baseBefore = t.s.repo->head();

    auto merged = t.merge(id, R"({"strategy":"merge"})");
    ASSERT_EQ(merged.status, 200) << merged.body;
    auto answer = merged.object();
    EXPECT_TRUE(answer->getValue<bool>("success"));
    EXPECT_EQ(text(answer, "strategy"), "merge");
    EXPECT_EQ(strings(answer->getArray("files")), std::vector<std::string>{"shared.txt"});
    EXPECT_EQ(t.s.repo->read("shared.txt"), "changed by " + id + "\n");
    EXPECT_EQ(t.s.repo->head(), text(answer, "commit"));
    EXPECT_EQ(t.s.repo->git({"status", "--porcelain"}), "");
    // The uncommitted work was committed on the session branch, naming the task.
    auto parents = t.s.repo->git({"log", "-1", "--format=%P"});
    EXPECT_EQ(parents.substr(0, 40), baseBefore);
    auto work = t.s.repo->git({"log", "-1", "--format=%s", "HEAD^2"});
    EXPECT_EQ(work, "Port the parser\n");

    auto record = answer->getObject("session")->getObject("worktree");
    EXPECT_EQ(text(record, "state"), "merged");
    EXPECT_EQ(text(record, "mergedCommit"), text(answer, "commit"));
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(sessionBranches(*t.s.repo).empty());

    auto again = t.http.get("/api/sessions/" + id + "/changes");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(text(again.object(), "code"), "worktree_removed");
    EXPECT_EQ(t.merge(id).status, 409);
}

TEST(WorktreeChanges, ASquashMergeIsOneCommitOnTheBase) {
    ProjectSetup t;
    auto id = t.start("commit-and-exit");
    ASSERT_TRUE(waitForStatus(t.http, id, "completed"));
    auto before = t.s.repo->head();
    auto merged = t.merge(id, R"({"strategy":"squash","message":"Parser, squashed"})");
    ASSERT_EQ(merged.status, 200) << merged.body;
    EXPECT_EQ(t.s.repo->git({"log", "-1", "--format=%P%n%s"}), before + "\nParser, squashed\n");
    EXPECT_EQ(t.s.repo->read("shared.txt"), "committed by " + id + "\n");
}

TEST(WorktreeChanges, AConflictIsRefusedAndLeavesTheCheckoutByteForByte) {
    ProjectSetup t;
    auto id = t.start("commit-and-exit");
    ASSERT_TRUE(waitForStatus(t.http, id, "completed"));
    t.s.repo->write("shared.txt", "line 1\nchanged on main\nline 3\n");
    t.s.repo->commit("main moves on");
    t.s.repo->write("other.txt", "a local edit, not committed\n");
    t.s.repo->write("scratch.txt", "untracked\n");
    auto before = checkoutFingerprint(t.s.repo->dir());

    auto refused = t.merge(id);
    ASSERT_EQ(refused.status, 409) << refused.body;
    auto error = refused.object();
    EXPECT_EQ(text(error, "code"), "merge_conflict");
    EXPECT_EQ(strings(error->getObject("details")->getArray("files")),
              std::vector<std::string>{"shared.txt"});
    EXPECT_NE(text(error, "message").find("shared.txt"), std::string::npos);
    EXPECT_EQ(checkoutFingerprint(t.s.repo->dir()), before);
    EXPECT_FALSE(fs::exists(t.s.repo->dir() / ".git" / "MERGE_HEAD"));
    // The session keeps its worktree, to be fixed and merged later.
    EXPECT_EQ(text(session(t.http, id)->getObject("worktree"), "state"), "active");
}

TEST(WorktreeChanges, ADirtyCheckoutOfTheSameFilesIsRefusedOtherLocalEditsStay) {
    ProjectSetup t;
    auto id = t.start("edit-and-exit");
    ASSERT_TRUE(waitForStatus(t.http, id, "completed"));
    t.s.repo->write("shared.txt", "line 1\nline 2\nline 3\nunsaved local work\n");
    auto before = checkoutFingerprint(t.s.repo->dir());
    auto refused = t.merge(id);
    ASSERT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(text(refused.object(), "code"), "checkout_dirty");
    EXPECT_EQ(strings(refused.object()->getObject("details")->getArray("files")),
              std::vector<std::string>{"shared.txt"});
    EXPECT_EQ(checkoutFingerprint(t.s.repo->dir()), before);

    t.s.repo->git({"checkout", "--", "shared.txt"});
    t.s.repo->write("other.txt", "unsaved, elsewhere\n");
    auto merged = t.merge(id);
    ASSERT_EQ(merged.status, 200) << merged.body;
    EXPECT_EQ(t.s.repo->read("other.txt"), "unsaved, elsewhere\n");
    EXPECT_EQ(t.s.repo->read("shared.txt"), "changed by " + id + "\n");
}

TEST(WorktreeChanges, TheBaseMovingOnShowsAsBehindAndStillMerges) {
    ProjectSetup t;
    auto id = t.start("edit-and-exit");
    ASSERT_TRUE(waitForStatus(t.http, id, "completed"));
    t.s.repo->write("later.txt", "after the spawn\n");
    t.s.repo->commit("the base moves on");
    auto changes = waitForChanges(t.http, id, [](const Poco::JSON::Object::Ptr& c) {
        return c->getValue<int>("behind") == 1;
    });
    ASSERT_TRUE(changes);
    EXPECT_EQ(changedPaths(changes), std::vector<std::string>{"shared.txt"});
    auto merged = t.merge(id);
    ASSERT_EQ(merged.status, 200) << merged.body;
    EXPECT_EQ(t.s.repo->read("later.txt"), "after the spawn\n");
    EXPECT_EQ(t.s.repo->read("shared.txt"), "changed by " + id + "\n");
}

TEST(WorktreeChanges, ALiveSessionIsDiscardedOrMergedOnlyWithForce) {
    ProjectSetup t;
    auto id = t.start("edit-shared");
    ASSERT_TRUE(waitForOutput(t.http, id, "edited"));
    auto path = fs::path(text(session(t.http, id)->getObject("worktree"), "path"));

    auto refused = t.http.post("/api/sessions/" + id + "/discard", "{}");
    ASSERT_EQ(refused.status, 409);
    EXPECT_EQ(text(refused.object(), "code"), "session_live");
    EXPECT_EQ(t.merge(id).status, 409);
    EXPECT_TRUE(fs::exists(path));

    auto discarded = t.http.post("/api/sessions/" + id + "/discard", R"({"force":true})");
    ASSERT_EQ(discarded.status, 200) << discarded.body;
    auto record = discarded.object()->getObject("session");
    EXPECT_EQ(text(record, "status"), "stopped");
    EXPECT_EQ(text(record->getObject("worktree"), "state"), "discarded");
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(sessionBranches(*t.s.repo).empty());
    EXPECT_EQ(t.s.repo->read("shared.txt"), "line 1\nline 2\nline 3\n");
}

TEST(WorktreeChanges, ARestartKeepsEveryWorktreeRecord) {
    ProjectSetup t;
    auto id = t.start("edit-and-exit");
    ASSERT_TRUE(waitForStatus(t.http, id, "completed"));
    auto before = session(t.http, id)->getObject("worktree");
    t.s.restart();
    auto http = t.s.client();
    auto after = session(http, id)->getObject("worktree");
    for (const auto* key : {"path", "branch", "base", "baseCommit", "repository", "state"})
        EXPECT_EQ(text(after, key), text(before, key)) << key;
    auto changes = http.get("/api/sessions/" + id + "/changes");
    ASSERT_EQ(changes.status, 200);
    EXPECT_EQ(changedPaths(changes.object()), std::vector<std::string>{"shared.txt"});
    auto merged = http.post("/api/sessions/" + id + "/merge", "{}");
    EXPECT_EQ(merged.status, 200) << merged.body;
}

TEST(WorktreeChanges, ALiveSessionKeepsItsWorktreeAcrossARestartAndIsStillFollowed) {
    ProjectSetup t;
    auto id = t.start("edit-shared");
    ASSERT_TRUE(waitForOutput(t.http, id, "edited"));
    auto before = session(t.http, id)->getObject("worktree");
    t.s.restart(); // the session's holder keeps the agent running meanwhile
    auto http = t.s.client();
    auto after = session(http, id);
    EXPECT_EQ(text(after, "status"), "running");
    auto worktree = after->getObject("worktree");
    for (const auto* key : {"path", "branch", "baseCommit", "state"})
        EXPECT_EQ(text(worktree, key), text(before, key)) << key;
    EXPECT_TRUE(fs::exists(text(worktree, "path")));

    // The restarted server's change monitor follows the session's worktree again.
    WsClient ws(t.s.server->port());
    ws.receive();
    ws.send(R"({"type":"subscribe"})");
    type(http, id, "append other.txt after-restart");
    auto announced = ws.receiveUntil([&](const Object::Ptr& m) {
        if (text(m, "type") != "session:changes") return false;
        auto data = m->getObject("data");
        return text(data, "sessionId") == id && fileOf(data, "other.txt") != nullptr;
    });
    EXPECT_TRUE(announced) << "no session:changes with other.txt after the restart";
    auto changes = waitForChanges(
        http, id, [](const Object::Ptr& c) { return c->getValue<int>("fileCount") == 2; });
    EXPECT_EQ(changedPaths(changes), (std::vector<std::string>{"other.txt", "shared.txt"}));
    type(http, id, "quit");
    ASSERT_TRUE(waitForStatus(http, id, "completed"));
    auto merged = http.post("/api/sessions/" + id + "/merge", "{}");
    EXPECT_EQ(merged.status, 200) << merged.body;
    EXPECT_EQ(t.s.repo->read("other.txt"), "other\nafter-restart\n");
}

TEST(WorktreeChanges, TwoSessionsOnDifferentFilesBothMergeCleanly) {
    ProjectSetup t;
    auto a = t.start("edit-own"), b = t.start("edit-own");
    ASSERT_TRUE(waitForOutput(t.http, a, "edited"));
    ASSERT_TRUE(waitForOutput(t.http, b, "edited"));
    type(t.http, a, "quit");
    type(t.http, b, "quit");
    ASSERT_TRUE(waitForStatus(t.http, a, "completed"));
    ASSERT_TRUE(waitForStatus(t.http, b, "completed"));
    EXPECT_EQ(t.http.get("/api/projects/" + t.project + "/overlaps").body, "[]");
    ASSERT_EQ(t.merge(a).status, 200);
    auto second = t.merge(b);
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(t.s.repo->read("own/" + a + ".txt"), "mine\n");
    EXPECT_EQ(t.s.repo->read("own/" + b + ".txt"), "mine\n");
}

TEST(WorktreeChanges, TwoSessionsOnOneFileOverlapAndTheSecondMergeConflicts) {
    ProjectSetup t;
    WsClient ws(t.s.server->port());
    ws.receive();
    ws.send(R"({"type":"subscribe"})");
    auto a = t.start("edit-shared");
    auto b = t.start("edit-shared");
    auto started = std::chrono::steady_clock::now();
    auto overlap = ws.receiveUntil(
        [&](const Object::Ptr& m) {
            return text(m, "type") == "project:overlap" &&
                   m->getObject("data")->getArray("paths")->size() > 0;
        },
        std::chrono::seconds(5));
    ASSERT_TRUE(overlap) << "no project:overlap within 5 s";
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    auto data = (*overlap)->getObject("data");
    EXPECT_EQ(text(data, "projectId"), t.project);
    auto ids = strings(data->getArray("sessionIds"));
    std::sort(ids.begin(), ids.end());
    auto expected = std::vector<std::string>{a, b};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(ids, expected);
    EXPECT_EQ(strings(data->getArray("paths")), std::vector<std::string>{"shared.txt"});
    EXPECT_EQ(strings(data->getArray("taskIds")), std::vector<std::string>{t.task});

    auto listed = t.http.get("/api/projects/" + t.project + "/overlaps").array();
    ASSERT_EQ(listed->size(), 1u);
    auto changes = t.http.get("/api/sessions/" + a + "/changes").object();
    auto overlaps = changes->getArray("overlaps");
    ASSERT_EQ(overlaps->size(), 1u);
    EXPECT_EQ(text(overlaps->getObject(0), "sessionId"), b);

    type(t.http, a, "quit");
    type(t.http, b, "quit");
    ASSERT_TRUE(waitForStatus(t.http, a, "completed"));
    ASSERT_TRUE(waitForStatus(t.http, b, "completed"));
    // Ended sessions no longer overlap: announced with no paths, and gone from the list.
    auto ended = ws.receiveUntil([&](const Object::Ptr& m) {
        return text(m, "type") == "project:overlap" &&
               m->getObject("data")->getArray("paths")->size() == 0;
    });
    EXPECT_TRUE(ended);
    EXPECT_EQ(t.http.get("/api/projects/" + t.project + "/overlaps").body, "[]");

    ASSERT_EQ(t.merge(a).status, 200);
    auto second = t.merge(b);
    ASSERT_EQ(second.status, 409) << second.body;
    EXPECT_EQ(text(second.object(), "code"), "merge_conflict");
    EXPECT_EQ(strings(second.object()->getObject("details")->getArray("files")),
              std::vector<std::string>{"shared.txt"});
    EXPECT_EQ(t.s.repo->read("shared.txt"), "changed by " + a + "\n");
}

TEST(WorktreeChanges, SessionsWithoutAWorktreeAndBadRequestsGetClearErrors) {
    ProjectSetup t;
    auto plain = text(spawnSession(t.http, t.task, "env", R"(,"isolation":"none")"), "id");
    auto none = t.http.get("/api/sessions/" + plain + "/changes");
    EXPECT_EQ(none.status, 409);
    EXPECT_EQ(text(none.object(), "code"), "no_worktree");
    EXPECT_EQ(t.http.get("/api/sessions/" + plain + "/diff").status, 409);
    EXPECT_EQ(t.http.post("/api/sessions/" + plain + "/discard", "{}").status, 409);

    auto id = t.start("edit-and-exit");
    ASSERT_TRUE(waitForStatus(t.http, id, "completed"));
    for (std::string body :
         {R"({"strategy":"rebase"})", R"({"message":"  "})", R"({"force":"yes"})", R"([1])", "{"})
        EXPECT_EQ(t.merge(id, body).status, 400) << body;
    EXPECT_EQ(t.http.get("/api/projects/proj_nope/overlaps").status, 404);
    EXPECT_EQ(t.http.post("/api/sessions/sess_nope/merge", "{}").status, 404);
}
