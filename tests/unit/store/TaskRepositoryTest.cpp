#include "store/TaskRepository.h"

#include "TestDatabase.h"
#include "domain/Project.h"
#include "domain/Task.h"
#include "store/Database.h"
#include "store/ProjectRepository.h"

#include <gtest/gtest.h>

using namespace maestro::host::store;
using namespace maestro::domain;
using maestro::test::TestBackend;
using maestro::test::TestDatabase;

class TaskRepositoryTest : public ::testing::TestWithParam<TestBackend> {
protected:
    void SetUp() override {
        db_ = Database::open(database_.url());
        db_->write([&](Transaction& tx) {
            auto project = makeProject({"P", "/tmp", ""}, 1);
            projectId_ = project.id;
            ProjectRepository(tx.connection()).insert(project, toJson(project));
        });
    }

    Task add(const std::string& title, std::optional<std::string> parent = {},
             TaskStatus status = TaskStatus::Todo, std::int64_t createdAt = 0) {
        return db_->write([&](Transaction& tx) {
            TaskRepository tasks(tx.connection());
            TaskDraft draft;
            draft.projectId = projectId_;
            draft.parentId = parent;
            draft.title = title;
            draft.status = status;
            if (status == TaskStatus::Blocked) draft.blockedReason = "because";
            auto task = makeTask(draft, tasks.nextOrder(projectId_, parent),
                                 createdAt ? createdAt : ++clock_);
            tasks.insert(task, toJson(task));
            return task;
        });
    }

    TestDatabase database_{GetParam()};
    std::unique_ptr<Database> db_;
    std::string projectId_;
    std::int64_t clock_ = 100;
};

TEST_P(TaskRepositoryTest, ListsInCreationOrderWithTotalAndPaging) {
    for (int i = 0; i < 5; ++i)
        add("t" + std::to_string(i));
    auto page = db_->read([&](Connection& c) {
        return TaskRepository(c).list({.projectId = projectId_}, {2, 1});
    });
    EXPECT_EQ(page.total, 5);
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(taskFromJson(page.items[0]).title, "t1");
    EXPECT_EQ(taskFromJson(page.items[1]).title, "t2");
}

TEST_P(TaskRepositoryTest, FiltersByStatusAndParent) {
    auto parent = add("parent");
    add("child a", parent.id);
    add("child b", parent.id, TaskStatus::Blocked);
    add("other", {}, TaskStatus::Blocked);

    auto children = db_->read([&](Connection& c) {
        return TaskRepository(c).list({.parentId = std::optional<std::string>{parent.id}}, {});
    });
    EXPECT_EQ(children.total, 2);
    auto roots = db_->read([&](Connection& c) {
        return TaskRepository(c).list({.parentId = std::optional<std::string>{}}, {});
    });
    EXPECT_EQ(roots.total, 2);
    auto blocked = db_->read(
        [&](Connection& c) { return TaskRepository(c).list({.status = TaskStatus::Blocked}, {}); });
    EXPECT_EQ(blocked.total, 2);
    EXPECT_EQ(blocked.statuses[0], "blocked");
}

TEST_P(TaskRepositoryTest, SiblingsGetIncreasingOrder) {
    auto parent = add("parent");
    EXPECT_EQ(add("a", parent.id).order, 0);
    EXPECT_EQ(add("b", parent.id).order, 1);
    EXPECT_EQ(add("c", parent.id).order, 2);
    EXPECT_EQ(add("root 2").order, 1);
}

TEST_P(TaskRepositoryTest, SubtreeComesDeepestFirst) {
    auto root = add("root");
    auto child = add("child", root.id);
    auto grandchild = add("grandchild", child.id);
    auto subtree =
        db_->read([&](Connection& c) { return TaskRepository(c).subtreeDeepestFirst(root.id); });
    ASSERT_EQ(subtree.size(), 3u);
    EXPECT_EQ(subtree[0].id, grandchild.id);
    EXPECT_EQ(subtree[1].id, child.id);
    EXPECT_EQ(subtree[2].id, root.id);
}

TEST_P(TaskRepositoryTest, CountsByStatus) {
    add("a");
    add("b");
    add("c", {}, TaskStatus::Blocked);
    auto counts =
        db_->read([&](Connection& c) { return TaskRepository(c).countByStatus(projectId_); });
    std::map<std::string, std::int64_t> byName(counts.begin(), counts.end());
    EXPECT_EQ(byName["todo"], 2);
    EXPECT_EQ(byName["blocked"], 1);
}

TEST_P(TaskRepositoryTest, UpdateRewritesOnlyThatRow) {
    auto parent = add("parent");
    auto a = add("a", parent.id);
    auto b = add("b", parent.id);
    a.title = "a2";
    ++a.version;
    db_->write([&](Transaction& tx) { TaskRepository(tx.connection()).update(a, toJson(a)); });
    auto readA = db_->read([&](Connection& c) { return TaskRepository(c).find(a.id); });
    auto readB = db_->read([&](Connection& c) { return TaskRepository(c).findJson(b.id); });
    EXPECT_EQ(readA->title, "a2");
    EXPECT_EQ(*readB, toJson(b));
}

INSTANTIATE_TEST_SUITE_P(Backends, TaskRepositoryTest, maestro::test::everyBackend(),
                         maestro::test::BackendName());
