#pragma once

#include "domain/Timeline.h"
#include "json/Writer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::domain {

class JsonInput;

enum class TaskStatus { Todo, InProgress, Blocked, Completed, Cancelled };
enum class Priority { Low, Medium, High };

std::string_view toString(TaskStatus status) noexcept;
std::string_view toString(Priority priority) noexcept;
// Accepts the wire names; "pending", the original Maestro's name for todo, is read as Todo.
std::optional<TaskStatus> parseTaskStatus(std::string_view text) noexcept;
std::optional<Priority> parsePriority(std::string_view text) noexcept;
// What the session working on a task says of its own work (the original Maestro's
// TaskSessionStatus), kept apart from the task's status, which belongs to the user.
inline constexpr std::string_view kSessionStatuses[] = {
    "queued", "working", "needs_input", "blocked", "completed", "failed", "skipped"};
bool isValidSessionStatus(std::string_view text) noexcept;
// The text shown for a blocked task whose reason was not given (the original API allows that).
inline constexpr std::string_view kNoReasonGiven = "no reason given";
// Every value, in the order lists and choices show them: with toString, the one definition of
// the wire names (docs/openapi.yaml documents the same lists).
inline constexpr TaskStatus kAllTaskStatuses[] = {TaskStatus::Todo, TaskStatus::InProgress,
                                                  TaskStatus::Blocked, TaskStatus::Completed,
                                                  TaskStatus::Cancelled};
inline constexpr Priority kAllPriorities[] = {Priority::Low, Priority::Medium, Priority::High};

struct Task {
    std::string id;
    std::string projectId;
    std::optional<std::string> parentId;
    std::string title;
    std::string description;
    TaskStatus status = TaskStatus::Todo;
    Priority priority = Priority::Medium;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    std::optional<std::int64_t> startedAt;
    std::optional<std::int64_t> completedAt;
    std::string initialPrompt;
    std::vector<std::string> sessionIds;
    std::vector<std::string> skillIds;
    std::vector<std::string> agentIds;
    std::vector<std::string> dependencies;
    std::optional<std::string> blockedReason;
    std::optional<std::string> sessionStatus; // one of kSessionStatuses
    std::int64_t order = 0;
    std::int64_t version = 1;
    // The newest entries of the timeline; the whole history, timelineCount entries long, is
    // kept by the store and paged from there. The JSON carries the inline window of these
    // (inlineWindowStart), so a task's size does not grow with its history.
    std::vector<TimelineEntry> timeline;
    std::int64_t timelineCount = 0;
    // How many of the newest entries were appended since the task was read: the ones the
    // store has yet to keep. Not part of the JSON.
    std::size_t unsavedEntries = 0;
};

// POST /api/tasks and POST /api/tasks/:id/subtasks.
struct TaskDraft {
    std::string projectId; // empty for a subtask: it inherits its parent's
    std::optional<std::string> parentId;
    std::string title;
    std::string description;
    Priority priority = Priority::Medium;
    TaskStatus status = TaskStatus::Todo;
    std::optional<std::string> blockedReason;
    std::string initialPrompt;
    std::vector<std::string> skillIds;
    std::vector<std::string> agentIds;
    std::vector<std::string> dependencies;
    std::optional<std::int64_t> order;
};

// PATCH /api/tasks/:id; absent fields stay as they are.
struct TaskPatch {
    std::optional<std::string> title;
    std::optional<std::string> description;
    std::optional<TaskStatus> status;
    std::optional<Priority> priority;
    std::optional<std::optional<std::string>> blockedReason;
    std::optional<std::string> initialPrompt;
    std::optional<std::vector<std::string>> sessionIds;
    std::optional<std::vector<std::string>> skillIds;
    std::optional<std::vector<std::string>> agentIds;
    std::optional<std::vector<std::string>> dependencies;
    std::optional<std::int64_t> order;
    // The subtask view's checkbox: true completes the task, false reopens a completed one.
    std::optional<bool> completed;
    std::vector<TimelineDraft> timeline; // entries to append (the original API's PATCH form)
    std::optional<std::string> sessionStatus;
    // "sessionId": the session making the change; the sessionStatus entry of the timeline
    // names it. With "updateSource":"session" the patch may change nothing but sessionStatus.
    std::optional<std::string> bySession;
};

enum class DraftKind { Task, Subtask };
TaskDraft parseTaskDraft(const JsonInput& body, DraftKind kind);
TaskPatch parseTaskPatch(const JsonInput& body);

// A new task from a validated draft; parentId/projectId must already be resolved.
Task makeTask(TaskDraft draft, std::int64_t order, std::int64_t now);

// Appends an entry to the task's timeline (counted, and marked unsaved).
void appendTimeline(Task& task, TimelineDraft entry, std::int64_t now);

// Applies the patch with the task rules: leaving blocked clears the reason,
// startedAt/completedAt follow the status, and every change appends a timeline entry.
// Throws ApiError for a patch that breaks a rule. Returns false (and changes nothing) when the
// patch would not change the task.
bool applyPatch(Task& task, const TaskPatch& patch, std::int64_t now);

void writeJson(json::Writer& out, const Task& task);
std::string toJson(const Task& task);
// The subtask view of a task rendered by toJson: the same object plus taskId (= parentId)
// and completed (= status is completed).
std::string toSubtaskJson(std::string_view taskJson, std::string_view parentId, bool completed);
std::string toSubtaskJson(const Task& task);

// Reads back a task rendered by toJson (the store keeps that rendering as the row's document).
Task taskFromJson(std::string_view json);

} // namespace maestro::domain
