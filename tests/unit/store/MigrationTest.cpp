// Upgrading a database made by an earlier schema, in place: the file a previous server left
// is opened by this one, migrated, and everything in it reads back as before.
#include "TempDir.h"
#include "domain/Task.h"
#include "json/Writer.h"
#include "store/Database.h"
#include "store/EventRepository.h"
#include "store/Migrations.h"
#include "store/TaskRepository.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

using namespace maestro::host::store;
using namespace maestro::domain;
using namespace Poco::Data::Keywords;
using maestro::test::TempDir;

namespace {

constexpr int kPreviousSchema = 2; // before the task timeline got rows of its own

// A task as schema 2 stored it: the whole timeline inline, no timelineCount.
std::string taskAsSchema2Stored(const std::string& id, const std::string& project,
                                const std::optional<std::string>& parent, const char* status,
                                int entries, const std::vector<std::string>& dependencies) {
    maestro::json::Writer out;
    out.beginObject()
        .field("id", id)
        .field("projectId", project)
        .field("parentId", parent)
        .field("title", "task " + id)
        .field("description", "")
        .field("status", status)
        .field("priority", "medium")
        .field("createdAt", std::int64_t{1000})
        .field("updatedAt", std::int64_t{2000})
        .field("startedAt", std::optional<std::int64_t>{})
        .field("completedAt", std::optional<std::int64_t>{})
        .field("initialPrompt", "")
        .stringArray("sessionIds", {})
        .stringArray("skillIds", {})
        .stringArray("agentIds", {})
        .stringArray("dependencies", dependencies)
        .field("blockedReason", std::string_view{status} == "blocked"
                                    ? std::optional<std::string>{"waiting"}
                                    : std::nullopt)
        .field("order", std::int64_t{0})
        .field("version", std::int64_t{entries})
        .key("timeline")
        .beginArray();
    for (int i = 0; i < entries; ++i) {
        out.beginObject()
            .field("id", "evt_" + id + "_" + std::to_string(i))
            .field("type", i == 0 ? "created" : "update")
            .field("timestamp", std::int64_t{1000 + i})
            .field("message", "step " + std::to_string(i));
        if (i == 3) out.field("sessionId", "sess_1");
        out.endObject();
    }
    out.endArray().endObject();
    return out.take();
}

void createSchema2Database(const std::filesystem::path& file) {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", file.string());
    session << "PRAGMA journal_mode = WAL", now;
    session << "CREATE TABLE schema_version (version INTEGER NOT NULL)", now;
    for (const auto& migration : migrations(Backend::Sqlite))
        if (migration.number <= kPreviousSchema) session << std::string{migration.sql}, now;
    session << "INSERT INTO schema_version (version) VALUES (?)", bind(kPreviousSchema), now;
    session << "INSERT INTO projects VALUES ('proj_a', 1, 1, '{\"id\":\"proj_a\"}')", now;
    struct Row {
        std::string id;
        std::optional<std::string> parent;
        const char* status;
        int entries;
        std::vector<std::string> dependencies;
    };
    std::vector<Row> rows = {{"task_root", std::nullopt, "todo", 70, {}},
                             {"task_blocked", std::nullopt, "blocked", 3, {"task_root"}},
                             {"task_child", "task_root", "completed", 1, {"task_root"}}};
    for (const auto& row : rows) {
        auto json = taskAsSchema2Stored(row.id, "proj_a", row.parent, row.status, row.entries,
                                        row.dependencies);
        std::string parent = row.parent.value_or("");
        Poco::Nullable<std::string> parentColumn;
        if (row.parent) parentColumn = *row.parent;
        std::string id = row.id, status = row.status;
        session << "INSERT INTO tasks (id, project_id, parent_id, status, sort_order, created_at, "
                   "version, json) VALUES (?, 'proj_a', ?, ?, 0, 1000, 1, ?)",
            use(id), use(parentColumn), use(status), use(json), now;
    }
}

} // namespace

TEST(Migrations, UpgradeADatabaseOfThePreviousSchemaInPlace) {
    TempDir dir;
    auto file = dir.path() / "old.db";
    createSchema2Database(file);

    auto db = Database::openSqlite(file);
    EXPECT_EQ(db->schemaVersion(), migrations(Backend::Sqlite).back().number);

    db->read([](Connection& c) {
        TaskRepository tasks(c);
        auto root = tasks.find("task_root");
        ASSERT_TRUE(root);
        EXPECT_EQ(root->timelineCount, 70);
        ASSERT_EQ(root->timeline.size(), 50u) << "the task keeps its newest entries";
        EXPECT_EQ(root->timeline.front().message, "step 20");
        EXPECT_EQ(root->timeline.back().message, "step 69");

        // The whole history moved to its own rows, in order, ids and sessions kept.
        auto history = tasks.timeline("task_root", std::nullopt, 1000);
        ASSERT_TRUE(history);
        ASSERT_EQ(history->size(), 70u);
        EXPECT_EQ((*history)[0].id, "evt_task_root_0");
        EXPECT_EQ((*history)[0].type, "created");
        EXPECT_EQ((*history)[3].sessionId, "sess_1");
        EXPECT_EQ((*history)[69].message, "step 69");
        EXPECT_EQ(tasks.find("task_child")->timelineCount, 1);

        // Counts kept from now on start from what is there.
        EXPECT_EQ(tasks.count({.projectId = "proj_a"}), 3);
        EXPECT_EQ(tasks.count({.projectId = "proj_a", .status = TaskStatus::Blocked}), 1);
        EXPECT_EQ(tasks.count({.projectId = "proj_a", .parentId = std::optional<std::string>{}}),
                  2);
        EXPECT_EQ(tasks.count({.parentId = std::optional<std::string>{"task_root"}}), 1);
        EXPECT_EQ(tasks.dependents("task_root").size(), 2u);
    });

    // And the upgraded rows take changes like new ones.
    db->write([](Transaction& tx) {
        TaskRepository tasks(tx.connection());
        auto root = *tasks.find("task_root");
        appendTimeline(root, {"milestone", "after the upgrade", std::nullopt}, 5000);
        root.status = TaskStatus::Completed;
        tasks.update(root, toJson(root));
    });
    db->read([](Connection& c) {
        TaskRepository tasks(c);
        EXPECT_EQ(tasks.find("task_root")->timelineCount, 71);
        EXPECT_EQ(tasks.timeline("task_root", std::nullopt, 1)->back().message,
                  "after the upgrade");
        EXPECT_EQ(tasks.count({.projectId = "proj_a", .status = TaskStatus::Completed}), 2);
    });
}
