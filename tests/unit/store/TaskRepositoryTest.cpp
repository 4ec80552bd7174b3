#include "store/TaskRepository.h"

#include "TestDatabase.h"
#include "domain/Limits.h"
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
            task.unsavedEntries = 0; // stored with the task
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

namespace {

// The filters a client can combine, for comparing the kept counts with a real COUNT(*).
std::vector<std::pair<TaskFilter, std::string>>
everyFilter(const std::string& project, const std::vector<std::string>& parents) {
    std::vector<std::pair<TaskFilter, std::string>> filters;
    std::vector<std::optional<TaskStatus>> statuses = {std::nullopt};
    for (auto status : kAllTaskStatuses)
        statuses.push_back(status);
    for (const auto& status : statuses) {
        std::string where = status ? " AND status = '" + std::string(toString(*status)) + "'" : "";
        filters.push_back({{.status = status}, "1 = 1" + where});
        filters.push_back(
            {{.projectId = project, .status = status}, "project_id = '" + project + "'" + where});
        filters.push_back({{.status = status, .parentId = std::optional<std::string>{}},
                           "parent_id IS NULL" + where});
        filters.push_back(
            {{.projectId = project, .status = status, .parentId = std::optional<std::string>{}},
             "project_id = '" + project + "' AND parent_id IS NULL" + where});
        for (const auto& parent : parents)
            filters.push_back({{.status = status, .parentId = std::optional<std::string>{parent}},
                               "parent_id = '" + parent + "'" + where});
    }
    return filters;
}

} // namespace

TEST_P(TaskRepositoryTest, KeptCountsMatchACountThroughInsertsStatusChangesAndDeletes) {
    auto parent = add("parent");
    auto other = add("other", {}, TaskStatus::Blocked);
    std::vector<Task> children;
    for (int i = 0; i < 6; ++i)
        children.push_back(add("child", i % 2 ? parent.id : other.id,
                               i % 3 ? TaskStatus::Todo : TaskStatus::Blocked));
    auto grandchild = add("grandchild", children[0].id);

    auto check = [&](const std::string& when) {
        SCOPED_TRACE(when);
        db_->read([&](Connection& c) {
            TaskRepository tasks(c);
            for (const auto& [filter, where] :
                 everyFilter(projectId_, {parent.id, other.id, children[0].id})) {
                auto counted = c.prepare("SELECT COUNT(*) FROM tasks WHERE " + where);
                counted.step();
                EXPECT_EQ(tasks.count(filter), counted.integer(0)) << where;
            }
        });
    };
    check("after inserts");

    db_->write([&](Transaction& tx) {
        TaskRepository tasks(tx.connection());
        for (auto task : {children[1], children[2], grandchild}) {
            task.status = TaskStatus::Completed;
            ++task.version;
            tasks.update(task, toJson(task));
        }
        other.title = "renamed, same status";
        tasks.update(other, toJson(other));
    });
    check("after status changes");

    db_->write([&](Transaction& tx) {
        TaskRepository tasks(tx.connection());
        tasks.remove(grandchild.id);
        tasks.remove(children[0].id);
        tasks.remove(children[3].id);
    });
    check("after deletes");

    auto leftovers = db_->read([](Connection& c) {
        auto query = c.prepare("SELECT COUNT(*) FROM task_counts WHERE n <= 0");
        query.step();
        return query.integer(0);
    });
    EXPECT_EQ(leftovers, 0) << "a count that drops to zero goes away";
}

TEST_P(TaskRepositoryTest, KeysetPagesWalkEachListLikeOffsetPages) {
    auto parent = add("parent");
    // Tasks created in the same millisecond are ordered by insertion; the cursor must keep it.
    for (int i = 0; i < 23; ++i) {
        auto status = i % 4 == 0 ? TaskStatus::Blocked : TaskStatus::Todo;
        add("t" + std::to_string(i), i % 2 ? std::optional<std::string>{parent.id} : std::nullopt,
            status, 500 + i / 3);
    }
    std::vector<TaskFilter> filters = {
        {.projectId = projectId_},
        {.projectId = projectId_, .status = TaskStatus::Blocked},
        {.projectId = projectId_, .parentId = std::optional<std::string>{}},
        {.projectId = projectId_,
         .status = TaskStatus::Todo,
         .parentId = std::optional<std::string>{}},
        {.parentId = std::optional<std::string>{parent.id}},
        {.status = TaskStatus::Todo, .parentId = std::optional<std::string>{parent.id}},
    };
    for (std::size_t f = 0; f < filters.size(); ++f) {
        SCOPED_TRACE("filter " + std::to_string(f));
        db_->read([&](Connection& c) {
            TaskRepository tasks(c);
            auto whole = tasks.list(filters[f], {});
            std::vector<std::string> walked;
            Page page{4, 0};
            for (;;) {
                auto part = tasks.list(filters[f], page);
                EXPECT_EQ(part.total, whole.total);
                walked.insert(walked.end(), part.items.begin(), part.items.end());
                if (part.items.size() < 4) break;
                page.after = taskFromJson(part.items.back()).id;
            }
            EXPECT_EQ(walked, whole.items);
            EXPECT_GT(walked.size(), 2u);
        });
    }
}

TEST_P(TaskRepositoryTest, TimelineKeepsEveryEntryWhileTheTaskCarriesTheNewest) {
    auto task = add("long history");
    db_->write([&](Transaction& tx) {
        TaskRepository tasks(tx.connection());
        for (int i = 0; i < 120; ++i) {
            appendTimeline(task, {"update", "entry " + std::to_string(i), std::nullopt}, 1000 + i);
            if (i % 7 == 0 || i == 119) {
                tasks.update(task, toJson(task));
                task.unsavedEntries = 0;
            }
        }
    });
    auto stored = db_->read([&](Connection& c) { return TaskRepository(c).find(task.id); });
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->timelineCount, 121);
    ASSERT_EQ(stored->timeline.size(), limits::kInlineTimelineEntries);
    EXPECT_EQ(stored->timeline.back().message, "entry 119");

    // Paging back from the newest entry by entry gives the whole history, in order.
    std::vector<std::string> messages;
    std::optional<std::string> before;
    for (;;) {
        auto page = db_->read(
            [&](Connection& c) { return TaskRepository(c).timeline(task.id, before, 50); });
        ASSERT_TRUE(page);
        if (page->empty()) break;
        std::vector<std::string> older;
        for (const auto& entry : *page)
            older.push_back(entry.message);
        messages.insert(messages.begin(), older.begin(), older.end());
        before = page->front().id;
    }
    ASSERT_EQ(messages.size(), 121u);
    EXPECT_EQ(messages.front(), "Task created");
    EXPECT_EQ(messages[1], "entry 0");
    EXPECT_EQ(messages.back(), "entry 119");
    auto unknown = db_->read([&](Connection& c) {
        return TaskRepository(c).timeline(task.id, std::string("evt_nope"), 10);
    });
    EXPECT_FALSE(unknown) << "a cursor that names no entry is not an empty page";
}

TEST_P(TaskRepositoryTest, APagedTimelineEntryKeepsItsSessionTaskAndMetadata) {
    auto task = add("reported on");
    db_->write([&](Transaction& tx) {
        appendTimeline(task, {"progress", "half done", "sess_1", task.id, R"({"percent":50})"},
                       500);
        TaskRepository(tx.connection()).update(task, toJson(task));
    });
    auto page =
        db_->read([&](Connection& c) { return TaskRepository(c).timeline(task.id, {}, 10); });
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 2u);
    const auto& entry = page->back();
    EXPECT_EQ(entry.type, "progress");
    EXPECT_EQ(entry.sessionId, "sess_1");
    EXPECT_EQ(entry.taskId, task.id);
    EXPECT_EQ(entry.metadataJson, R"({"percent":50})");
    EXPECT_FALSE(page->front().taskId) << "an entry without them stays without them";
    EXPECT_FALSE(page->front().metadataJson);
}

TEST_P(TaskRepositoryTest, DependentsAreFoundAndForgottenWithTheirTask) {
    auto target = add("target");
    auto a = add("a");
    auto b = add("b");
    db_->write([&](Transaction& tx) {
        TaskRepository tasks(tx.connection());
        for (auto* task : {&a, &b}) {
            task->dependencies = {target.id};
            tasks.update(*task, toJson(*task));
        }
    });
    auto dependents = [&] {
        std::vector<std::string> ids;
        for (const auto& task :
             db_->read([&](Connection& c) { return TaskRepository(c).dependents(target.id); }))
            ids.push_back(task.id);
        return ids;
    };
    EXPECT_EQ(dependents(), (std::vector<std::string>{a.id, b.id}));
    db_->write([&](Transaction& tx) {
        TaskRepository tasks(tx.connection());
        b.dependencies.clear();
        tasks.update(b, toJson(b));
        tasks.remove(a.id);
    });
    EXPECT_TRUE(dependents().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, TaskRepositoryTest, maestro::test::everyBackend(),
                         maestro::test::BackendName());
