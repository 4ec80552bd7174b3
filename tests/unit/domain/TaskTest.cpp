#include "domain/Task.h"

#include "domain/ApiError.h"
#include "domain/JsonInput.h"
#include "domain/Limits.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using namespace maestro::domain;

namespace {

Task sampleTask() {
    TaskDraft draft;
    draft.projectId = "proj_1";
    draft.title = "Write the parser";
    draft.description = "All of it";
    draft.dependencies = {"task_dep"};
    return makeTask(draft, 3, 1000);
}

TaskPatch patchOf(const char* json) {
    return parseTaskPatch(JsonInput::parseObject(json));
}

std::string codeOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const ApiError& e) {
        return e.code();
    }
    return "no error";
}

} // namespace

TEST(Task, NewTaskStartsAtVersionOneWithACreatedEntry) {
    auto task = sampleTask();
    EXPECT_EQ(task.version, 1);
    EXPECT_EQ(task.order, 3);
    EXPECT_EQ(task.status, TaskStatus::Todo);
    ASSERT_EQ(task.timeline.size(), 1u);
    EXPECT_EQ(task.timeline[0].type, "created");
    EXPECT_TRUE(task.id.starts_with("task_"));
}

TEST(Task, DraftNeedsProjectAndTitle) {
    EXPECT_EQ(
        codeOf([] { parseTaskDraft(JsonInput::parseObject(R"({"title":"x"})"), DraftKind::Task); }),
        "validation_error");
    EXPECT_EQ(codeOf([] {
                  parseTaskDraft(JsonInput::parseObject(R"({"projectId":"p","title":"  "})"),
                                 DraftKind::Task);
              }),
              "validation_error");
    EXPECT_EQ(codeOf([] {
                  parseTaskDraft(JsonInput::parseObject(R"({"title":"x"})"), DraftKind::Subtask);
              }),
              "no error");
}

TEST(Task, UnknownEnumValuesAreRefused) {
    EXPECT_EQ(codeOf([] { patchOf(R"({"status":"done"})"); }), "validation_error");
    EXPECT_EQ(codeOf([] { patchOf(R"({"priority":"urgent"})"); }), "validation_error");
    EXPECT_EQ(parseTaskStatus("pending"), TaskStatus::Todo); // the original Maestro's name
}

TEST(Task, BlockingTakesAnOptionalReasonAndUnblockingClearsIt) {
    auto bare = sampleTask();
    ASSERT_TRUE(applyPatch(bare, patchOf(R"({"status":"blocked"})"), 2000));
    EXPECT_EQ(bare.status, TaskStatus::Blocked);
    EXPECT_FALSE(bare.blockedReason);
    EXPECT_EQ(bare.timeline.back().message, "Blocked (no reason given)");

    auto task = sampleTask();
    EXPECT_EQ(codeOf([&] {
                  applyPatch(task, patchOf(R"({"status":"blocked","blockedReason":" "})"), 2000);
              }),
              "blocked_reason_required");
    EXPECT_EQ(task.version, 1) << "a refused patch changes nothing";

    ASSERT_TRUE(applyPatch(
        task, patchOf(R"({"status":"blocked","blockedReason":"waiting for API keys"})"), 2000));
    EXPECT_EQ(task.status, TaskStatus::Blocked);
    EXPECT_EQ(task.blockedReason, "waiting for API keys");
    EXPECT_EQ(task.timeline.back().type, "blocker");
    EXPECT_EQ(task.version, 2);

    ASSERT_TRUE(applyPatch(task, patchOf(R"({"status":"in_progress"})"), 3000));
    EXPECT_FALSE(task.blockedReason.has_value());
    EXPECT_EQ(task.startedAt, 3000);
    EXPECT_EQ(task.timeline.back().type, "status_changed");
}

TEST(Task, ReasonWithoutBlockedStatusIsRefused) {
    auto task = sampleTask();
    EXPECT_EQ(codeOf([&] { applyPatch(task, patchOf(R"({"blockedReason":"why"})"), 2000); }),
              "validation_error");
}

TEST(Task, CompletionSetsAndReopeningClearsCompletedAt) {
    auto task = sampleTask();
    ASSERT_TRUE(applyPatch(task, patchOf(R"({"completed":true})"), 5000));
    EXPECT_EQ(task.status, TaskStatus::Completed);
    EXPECT_EQ(task.completedAt, 5000);
    ASSERT_TRUE(applyPatch(task, patchOf(R"({"completed":false})"), 6000));
    EXPECT_EQ(task.status, TaskStatus::Todo);
    EXPECT_FALSE(task.completedAt.has_value());
}

TEST(Task, PatchThatChangesNothingKeepsVersionAndTimeline) {
    auto task = sampleTask();
    auto before = task.timeline.size();
    EXPECT_FALSE(
        applyPatch(task, patchOf(R"({"title":"Write the parser","status":"todo"})"), 9000));
    EXPECT_EQ(task.version, 1);
    EXPECT_EQ(task.updatedAt, 1000);
    EXPECT_EQ(task.timeline.size(), before);
}

TEST(Task, FieldChangesAreRecordedInTheTimeline) {
    auto task = sampleTask();
    ASSERT_TRUE(applyPatch(task, patchOf(R"({"title":"New","priority":"high"})"), 2000));
    EXPECT_EQ(task.timeline.back().type, "update");
    EXPECT_EQ(task.timeline.back().message, "Updated title, priority");
}

TEST(Task, MovingBetweenParentsIsRefused) {
    EXPECT_EQ(codeOf([] { patchOf(R"({"parentId":"task_x"})"); }), "immutable_field");
}

TEST(Task, JsonRoundTripKeepsEveryField) {
    auto task = sampleTask();
    applyPatch(
        task,
        patchOf(
            R"({"status":"blocked","blockedReason":"r","sessionIds":["sess_1"],"timeline":[{"type":"milestone","message":"m","sessionId":"sess_1"}]})"),
        2000);
    auto back = taskFromJson(toJson(task));
    EXPECT_EQ(toJson(back), toJson(task));
    EXPECT_EQ(back.timeline.back().sessionId, "sess_1");
}

TEST(Task, SubtaskViewAddsTaskIdAndCompleted) {
    auto task = sampleTask();
    task.parentId = "task_parent";
    task.status = TaskStatus::Completed;
    Poco::JSON::Parser parser;
    auto view = parser.parse(toSubtaskJson(task)).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(view->getValue<std::string>("taskId"), "task_parent");
    EXPECT_TRUE(view->getValue<bool>("completed"));
    EXPECT_EQ(view->getValue<std::string>("title"), "Write the parser");
}

TEST(Task, JsonCarriesTheNewestEntriesWithinTheInlineBounds) {
    auto task = sampleTask();
    for (int i = 0; i < 80; ++i)
        appendTimeline(task, {"update", "short " + std::to_string(i), std::nullopt}, 2000 + i);
    EXPECT_EQ(task.timelineCount, 81);
    EXPECT_EQ(task.unsavedEntries, 81u);
    auto back = taskFromJson(toJson(task));
    ASSERT_EQ(back.timeline.size(), limits::kInlineTimelineEntries);
    EXPECT_EQ(back.timeline.back().message, "short 79");
    EXPECT_EQ(back.timelineCount, 81);
    EXPECT_EQ(back.unsavedEntries, 0u);

    // Long messages: as many of the newest as fit the byte bound.
    std::string big(limits::kMaxTimelineMessage, 'm');
    for (int i = 0; i < 10; ++i)
        appendTimeline(task, {"update", big, std::nullopt}, 3000 + i);
    back = taskFromJson(toJson(task));
    EXPECT_EQ(back.timeline.size(), limits::kInlineTimelineBytes / limits::kMaxTimelineMessage);
    EXPECT_LE(toJson(task).size(), limits::kInlineTimelineBytes + 4096);

    // The newest entry is always there, whatever its size.
    task.timeline.back().message.assign(limits::kInlineTimelineBytes + 1, 'x');
    back = taskFromJson(toJson(task));
    ASSERT_EQ(back.timeline.size(), 1u);
    EXPECT_EQ(back.timeline.back().message.size(), limits::kInlineTimelineBytes + 1);
}

TEST(Task, AnOversizedFieldIsRefusedWithItsLimit) {
    try {
        parseTaskPatch(JsonInput::parseObject(R"({"timeline":[{"message":")" +
                                              std::string(limits::kMaxTimelineMessage + 1, 'x') +
                                              R"("}]})"));
        FAIL() << "accepted";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 413);
        EXPECT_EQ(e.code(), "field_too_large");
        auto details =
            Poco::JSON::Parser().parse(e.detailsJson()).extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(details->getValue<std::string>("field"), "timeline[0].message");
        EXPECT_EQ(details->getValue<std::size_t>("limit"), limits::kMaxTimelineMessage);
    }
}

TEST(Task, SessionStatusIsStoredAndASessionUpdateMayChangeNothingElse) {
    auto task = sampleTask();
    ASSERT_TRUE(applyPatch(
        task,
        patchOf(R"({"sessionStatus":"working","updateSource":"session","sessionId":"sess_1"})"),
        2000));
    EXPECT_EQ(task.sessionStatus, "working");
    EXPECT_EQ(task.status, TaskStatus::Todo) << "the user's status is untouched";
    EXPECT_EQ(task.timeline.back().sessionId, "sess_1");
    EXPECT_NE(toJson(task).find(R"("sessionStatus":"working")"), std::string::npos);
    EXPECT_EQ(taskFromJson(toJson(task)).sessionStatus, "working");

    EXPECT_EQ(codeOf([] { patchOf(R"({"sessionStatus":"dancing"})"); }), "validation_error");
    EXPECT_EQ(
        codeOf([] {
            patchOf(R"({"sessionStatus":"working","updateSource":"session","status":"completed"})");
        }),
        "validation_error");
    EXPECT_EQ(codeOf([] { patchOf(R"({"updateSource":"robot"})"); }), "validation_error");
}
