// Every built-in command, run as the real binary with --json against a live server.
#include "CliRunner.h"
#include "TestServer.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace maestro::test {
namespace {

class CommandsTest : public ::testing::Test {
protected:
    CommandsTest() : cli(server.baseUrl()) {}

    // Runs with --json and expects success; returns the document.
    Poco::JSON::Object::Ptr ok(const std::vector<std::string>& args) {
        auto result = cli.json(args);
        EXPECT_EQ(result.exitCode, 0) << result.describe();
        return result.object();
    }
    Poco::JSON::Array::Ptr okList(const std::vector<std::string>& args) {
        auto result = cli.json(args);
        EXPECT_EQ(result.exitCode, 0) << result.describe();
        return result.array();
    }
    std::string newProject(const std::string& name = "Demo") {
        return ok({"project", "create", name, "--dir", "/tmp"})->getValue<std::string>("id");
    }
    std::string newTask(const std::string& project, const std::string& title = "Task") {
        return ok({"--project", project, "task", "create", title})->getValue<std::string>("id");
    }

    TestServer server;
    Cli cli;
};

TEST_F(CommandsTest, ProjectCreateListGetDelete) {
    auto created = ok({"project", "create", "Demo", "--dir", "/srv/demo", "--desc", "A demo"});
    const auto id = created->getValue<std::string>("id");
    EXPECT_EQ(created->getValue<std::string>("name"), "Demo");
    EXPECT_EQ(created->getValue<std::string>("workingDir"), "/srv/demo");
    EXPECT_EQ(created->getValue<std::string>("description"), "A demo");

    auto list = okList({"project", "list"});
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->getObject(0)->getValue<std::string>("id"), id);

    EXPECT_EQ(ok({"project", "get", id})->getValue<std::string>("name"), "Demo");
    // The project defaults to --project / $MAESTRO_PROJECT_ID.
    EXPECT_EQ(ok({"--project", id, "project", "get"})->getValue<std::string>("id"), id);
    cli.set("MAESTRO_PROJECT_ID", id);
    EXPECT_EQ(ok({"project", "get"})->getValue<std::string>("id"), id);

    auto deleted = ok({"project", "delete", id});
    EXPECT_TRUE(deleted->getValue<bool>("success"));
    EXPECT_EQ(deleted->getValue<std::string>("id"), id);
    EXPECT_EQ(okList({"project", "list"})->size(), 0u);
}

TEST_F(CommandsTest, ProjectCreateDefaultsToTheCurrentDirectory) {
    auto created = ok({"project", "create", "Here"});
    EXPECT_FALSE(created->getValue<std::string>("workingDir").empty());
}

TEST_F(CommandsTest, TaskLifecycle) {
    const auto project = newProject();
    auto created = ok({"--project", project, "task", "create", "Write the parser", "--desc",
                       "Recursive descent", "--priority", "high"});
    const auto id = created->getValue<std::string>("id");
    EXPECT_EQ(created->getValue<std::string>("status"), "todo");
    EXPECT_EQ(created->getValue<std::string>("priority"), "high");
    EXPECT_EQ(created->getValue<std::string>("projectId"), project);

    EXPECT_EQ(ok({"task", "get", id})->getValue<std::string>("title"), "Write the parser");

    auto updated = ok({"task", "update", id, "--title", "Write the lexer", "--priority", "low"});
    EXPECT_EQ(updated->getValue<std::string>("title"), "Write the lexer");
    EXPECT_EQ(updated->getValue<std::string>("priority"), "low");

    EXPECT_EQ(ok({"task", "start", id})->getValue<std::string>("status"), "in_progress");

    auto blocked = ok({"task", "block", id, "--reason", "waiting for the grammar"});
    EXPECT_EQ(blocked->getValue<std::string>("status"), "blocked");
    EXPECT_EQ(blocked->getValue<std::string>("blockedReason"), "waiting for the grammar");

    // It had been started, so unblocking returns it to in_progress, and clears the reason.
    auto unblocked = ok({"task", "unblock", id});
    EXPECT_EQ(unblocked->getValue<std::string>("status"), "in_progress");
    EXPECT_TRUE(unblocked->isNull("blockedReason"));

    auto completed = ok({"task", "complete", id});
    EXPECT_EQ(completed->getValue<std::string>("status"), "completed");
    EXPECT_FALSE(completed->isNull("completedAt"));

    auto list = okList({"--project", project, "task", "list", "--status", "completed"});
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(okList({"--project", project, "task", "list", "--status", "todo"})->size(), 0u);

    EXPECT_TRUE(ok({"task", "delete", id})->getValue<bool>("success"));
    EXPECT_EQ(okList({"--project", project, "task", "list"})->size(), 0u);
}

TEST_F(CommandsTest, UnblockANeverStartedTaskGoesBackToTodo) {
    const auto id = newTask(newProject());
    ok({"task", "block", id, "--reason", "needs a decision"});
    EXPECT_EQ(ok({"task", "unblock", id})->getValue<std::string>("status"), "todo");
    // Unblocking what is not blocked changes nothing.
    auto again = ok({"task", "unblock", id});
    EXPECT_EQ(again->getValue<std::string>("status"), "todo");
    ok({"task", "block", id, "--reason", "again"});
    EXPECT_EQ(
        ok({"task", "unblock", id, "--status", "in_progress"})->getValue<std::string>("status"),
        "in_progress");
}

TEST_F(CommandsTest, UpdateCanBlockWithAReason) {
    const auto id = newTask(newProject());
    auto blocked = ok({"task", "update", id, "--status", "blocked", "--reason", "no access"});
    EXPECT_EQ(blocked->getValue<std::string>("blockedReason"), "no access");
}

TEST_F(CommandsTest, TaskIdsDefaultToTheSessionsTask) {
    const auto id = newTask(newProject());
    cli.set("MAESTRO_TASK_ID", id);
    EXPECT_EQ(ok({"task", "get"})->getValue<std::string>("id"), id);
    EXPECT_EQ(ok({"task", "start"})->getValue<std::string>("status"), "in_progress");
}

TEST_F(CommandsTest, TaskListFilters) {
    const auto project = newProject();
    const auto parent = newTask(project, "Parent");
    ok({"--project", project, "task", "create", "Child", "--parent", parent});
    newTask(project, "Other");
    EXPECT_EQ(okList({"--project", project, "task", "list"})->size(), 3u);
    EXPECT_EQ(okList({"--project", project, "task", "list", "--roots"})->size(), 2u);
    auto children = okList({"task", "list", "--parent", parent});
    ASSERT_EQ(children->size(), 1u);
    EXPECT_EQ(children->getObject(0)->getValue<std::string>("title"), "Child");
    EXPECT_EQ(okList({"--project", project, "task", "list", "--limit", "1"})->size(), 1u);
    EXPECT_EQ(okList({"--project", project, "task", "list", "--offset", "2"})->size(), 1u);
}

TEST_F(CommandsTest, CreateUnderAParentWithoutAProject) {
    const auto parent = newTask(newProject());
    auto child = ok({"task", "create", "Child", "--parent", parent});
    EXPECT_EQ(child->getValue<std::string>("parentId"), parent);
}

TEST_F(CommandsTest, TaskTreeIsRecursive) {
    const auto project = newProject();
    const auto root = newTask(project, "Root");
    const auto a = ok({"subtask", "add", "A", "--task", root})->getValue<std::string>("id");
    ok({"subtask", "add", "B", "--task", root});
    ok({"subtask", "add", "A1", "--task", a});
    ok({"task", "block", a, "--reason", "waiting"});

    auto tree = ok({"task", "tree", root});
    EXPECT_EQ(tree->getValue<std::string>("title"), "Root");
    auto subtasks = tree->getArray("subtasks");
    ASSERT_EQ(subtasks->size(), 2u);
    auto first = subtasks->getObject(0);
    EXPECT_EQ(first->getValue<std::string>("title"), "A");
    EXPECT_EQ(first->getValue<std::string>("blockedReason"), "waiting");
    ASSERT_EQ(first->getArray("subtasks")->size(), 1u);
    EXPECT_EQ(first->getArray("subtasks")->getObject(0)->getValue<std::string>("title"), "A1");
    EXPECT_EQ(subtasks->getObject(1)->getArray("subtasks")->size(), 0u);

    auto text = cli.run({"task", "tree", root});
    ASSERT_EQ(text.exitCode, 0) << text.describe();
    EXPECT_NE(text.out.find("Root  [todo]"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("├── A  [blocked]"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("│   └── A1  [todo]"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("└── B  [todo]"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("blocked: waiting"), std::string::npos) << text.out;

    auto quiet = cli.run({"-q", "task", "tree", root});
    EXPECT_EQ(std::count(quiet.out.begin(), quiet.out.end(), '\n'), 4);
}

TEST_F(CommandsTest, Subtasks) {
    const auto parent = newTask(newProject(), "Parent");
    cli.set("MAESTRO_TASK_ID", parent);
    auto a = ok({"subtask", "add", "A", "--desc", "first", "--priority", "high"});
    EXPECT_EQ(a->getValue<std::string>("taskId"), parent);
    EXPECT_FALSE(a->getValue<bool>("completed"));
    const auto aId = a->getValue<std::string>("id");
    const auto bId = ok({"subtask", "add", "B"})->getValue<std::string>("id");
    const auto cId = ok({"subtask", "add", "C", "--task", parent})->getValue<std::string>("id");

    auto list = okList({"subtask", "list"});
    ASSERT_EQ(list->size(), 3u);
    EXPECT_EQ(okList({"subtask", "list", parent})->size(), 3u);

    auto updated = ok({"subtask", "update", bId, "--title", "B2", "--status", "in_progress"});
    EXPECT_EQ(updated->getValue<std::string>("title"), "B2");
    EXPECT_EQ(updated->getValue<std::string>("status"), "in_progress");

    auto done = ok({"subtask", "complete", aId});
    EXPECT_TRUE(done->getValue<bool>("completed"));
    EXPECT_EQ(done->getValue<std::string>("status"), "completed");
    EXPECT_FALSE(ok({"subtask", "complete", aId, "--undo"})->getValue<bool>("completed"));

    auto reordered = okList({"subtask", "reorder", cId, aId, bId});
    ASSERT_EQ(reordered->size(), 3u);
    EXPECT_EQ(reordered->getObject(0)->getValue<std::string>("id"), cId);
    EXPECT_EQ(okList({"subtask", "list"})->getObject(0)->getValue<std::string>("id"), cId);

    EXPECT_TRUE(ok({"subtask", "delete", cId})->getValue<bool>("success"));
    EXPECT_EQ(okList({"subtask", "list"})->size(), 2u);
}

TEST_F(CommandsTest, SubtaskCommandsFindTheParentThemselves) {
    const auto parent = newTask(newProject(), "Parent");
    const auto sub = ok({"subtask", "add", "A", "--task", parent})->getValue<std::string>("id");
    // No --task and no $MAESTRO_TASK_ID: the subtask's own parentId is used.
    auto done = ok({"subtask", "complete", sub});
    EXPECT_EQ(done->getValue<std::string>("taskId"), parent);
    // A top-level task is not a subtask.
    auto refused = cli.json({"subtask", "complete", parent});
    EXPECT_EQ(refused.exitCode, 65) << refused.describe();
    EXPECT_EQ(refused.object()->getValue<std::string>("code"), "not_a_subtask");
}

TEST_F(CommandsTest, Reports) {
    const auto id = newTask(newProject());
    cli.set("MAESTRO_TASK_ID", id).set("MAESTRO_SESSION_ID", "sess_worker_1");

    auto progress = ok({"report", "progress", "Parsed", "the", "input"});
    auto timeline = progress->getArray("timeline");
    auto last = timeline->getObject(timeline->size() - 1);
    EXPECT_EQ(last->getValue<std::string>("type"), "update");
    EXPECT_EQ(last->getValue<std::string>("message"), "Parsed the input");
    EXPECT_EQ(last->getValue<std::string>("sessionId"), "sess_worker_1");

    auto needsInput = ok({"report", "needs-input", "Which database?"});
    timeline = needsInput->getArray("timeline");
    last = timeline->getObject(timeline->size() - 1);
    EXPECT_EQ(last->getValue<std::string>("type"), "blocker");
    EXPECT_EQ(last->getValue<std::string>("message"), "Needs input: Which database?");
    EXPECT_EQ(needsInput->getValue<std::string>("status"), "todo");

    auto error = ok({"report", "error", "Tests fail"});
    timeline = error->getArray("timeline");
    EXPECT_EQ(timeline->getObject(timeline->size() - 1)->getValue<std::string>("message"),
              "Error: Tests fail");

    auto blocked = ok({"report", "blocked", "No credentials"});
    EXPECT_EQ(blocked->getValue<std::string>("status"), "blocked");
    EXPECT_EQ(blocked->getValue<std::string>("blockedReason"), "No credentials");

    auto complete = ok({"report", "complete", "Parser done"});
    EXPECT_EQ(complete->getValue<std::string>("status"), "completed");
    bool milestone = false;
    timeline = complete->getArray("timeline");
    for (std::size_t i = 0; i < timeline->size(); ++i) {
        auto entry = timeline->getObject(static_cast<unsigned>(i));
        milestone = milestone || (entry->getValue<std::string>("type") == "milestone" &&
                                  entry->getValue<std::string>("message") == "Parser done");
    }
    EXPECT_TRUE(milestone);

    // --task names another task.
    const auto other = newTask(complete->getValue<std::string>("projectId"), "Other");
    EXPECT_EQ(ok({"report", "progress", "--task", other, "x"})->getValue<std::string>("id"), other);
}

TEST_F(CommandsTest, StatusIsTheProjectOverview) {
    const auto project = newProject();
    const auto a = newTask(project, "A");
    newTask(project, "B");
    ok({"task", "block", a, "--reason", "waiting for review"});

    auto status = ok({"--project", project, "status"});
    EXPECT_EQ(status->getValue<std::string>("projectId"), project);
    auto counts = status->getObject("counts");
    EXPECT_EQ(counts->getValue<int>("blocked"), 1);
    EXPECT_EQ(counts->getValue<int>("todo"), 1);
    EXPECT_EQ(counts->getValue<int>("total"), 2);
    auto blocked = status->getArray("blocked");
    ASSERT_EQ(blocked->size(), 1u);
    EXPECT_EQ(blocked->getObject(0)->getValue<std::string>("blockedReason"), "waiting for review");
    EXPECT_GT(status->getArray("recentEvents")->size(), 0u);

    auto text = cli.run({"--project", project, "status"});
    ASSERT_EQ(text.exitCode, 0) << text.describe();
    EXPECT_NE(text.out.find("2 tasks"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("waiting for review"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("Recent activity:"), std::string::npos) << text.out;

    // Without a project: every project.
    EXPECT_EQ(ok({"status"})->getObject("counts")->getValue<int>("total"), 2);
}

TEST_F(CommandsTest, WhoamiPrintsTheSessionContext) {
    cli.set("MAESTRO_PROJECT_ID", "proj_1")
        .set("MAESTRO_SESSION_ID", "sess_1")
        .set("MAESTRO_TASK_ID", "task_1")
        .set("MAESTRO_TASK_IDS", "task_1,task_2")
        .set("MAESTRO_ROLE", "worker")
        .set("MAESTRO_SKILLS", "maestro-cli,maestro-worker")
        .set("MAESTRO_BRIEF_FILE", "/tmp/brief.md")
        .set("MAESTRO_PARENT_SESSION_ID", "sess_0");
    auto me = ok({"whoami"});
    EXPECT_EQ(me->getValue<std::string>("sessionId"), "sess_1");
    EXPECT_EQ(me->getValue<std::string>("apiUrl"), server.baseUrl());
    EXPECT_EQ(me->getValue<std::string>("role"), "worker");
    EXPECT_EQ(me->getArray("taskIds")->size(), 2u);
    EXPECT_EQ(me->getArray("skills")->getElement<std::string>(1), "maestro-worker");
    EXPECT_EQ(me->getValue<std::string>("briefFile"), "/tmp/brief.md");
    EXPECT_EQ(me->getValue<std::string>("parentSessionId"), "sess_0");

    auto text = cli.run({"whoami"});
    EXPECT_NE(text.out.find("session:"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("parent session:  sess_0"), std::string::npos) << text.out;

    Cli outside;
    auto none = outside.json({"whoami"});
    EXPECT_EQ(none.exitCode, 0);
    EXPECT_EQ(none.object()->size(), 0u);
    EXPECT_NE(outside.run({"whoami"}).out.find("Not in a Maestro session"), std::string::npos);
}

TEST_F(CommandsTest, EventsListsTheLog) {
    const auto project = newProject();
    newTask(project, "A");
    auto events = okList({"events"});
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ(events->getObject(0)->getValue<std::string>("type"), "project:created");
    EXPECT_EQ(events->getObject(1)->getValue<std::string>("type"), "task:created");
    const auto first = events->getObject(0)->getValue<long long>("seq");
    auto since = okList({"events", "--since", std::to_string(first)});
    ASSERT_EQ(since->size(), 1u);
    EXPECT_EQ(okList({"events", "--limit", "1"})->size(), 1u);
    EXPECT_EQ(okList({"--project", project, "events"})->size(), 2u);

    auto text = cli.run({"events"});
    EXPECT_NE(text.out.find("task:created"), std::string::npos) << text.out;
}

TEST_F(CommandsTest, HumanOutputIsAlignedText) {
    const auto project = newProject("Demo");
    const auto id = newTask(project, "Write the parser");
    auto list = cli.run({"--project", project, "task", "list"});
    ASSERT_EQ(list.exitCode, 0) << list.describe();
    EXPECT_EQ(list.out.substr(0, list.out.find('\n')),
              "ID" + std::string(id.size(), ' ') + "STATUS  PRIORITY  TITLE");
    EXPECT_EQ(list.out.find('\033'), std::string::npos); // not a terminal: no colour

    auto get = cli.run({"task", "get", id});
    EXPECT_NE(get.out.find("title:     Write the parser\n"), std::string::npos) << get.out;
    auto projects = cli.run({"project", "list"});
    EXPECT_NE(projects.out.find("Demo"), std::string::npos);
    auto created = cli.run({"--project", project, "task", "create", "Another"});
    EXPECT_EQ(created.out.rfind("Created task_", 0), 0u) << created.out;
    auto quiet = cli.run({"-q", "--project", project, "task", "create", "Third"});
    EXPECT_EQ(quiet.out.rfind("task_", 0), 0u);
    EXPECT_EQ(std::count(quiet.out.begin(), quiet.out.end(), '\n'), 1);
}

} // namespace
} // namespace maestro::test
