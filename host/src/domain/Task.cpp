#include "domain/Task.h"

#include "domain/ApiError.h"
#include "domain/Ids.h"
#include "domain/JsonInput.h"
#include "domain/StoredJson.h"

#include <Poco/JSON/Array.h>
#include <algorithm>

namespace maestro::domain {

namespace {

constexpr std::size_t kMaxTitle = 500;
constexpr std::size_t kMaxDescription = 100 * 1024;
constexpr std::size_t kMaxPrompt = 512 * 1024;
constexpr std::size_t kMaxReason = 4096;
constexpr std::size_t kMaxTimelineEntriesPerPatch = 100;

bool isBlank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string checkedTitle(std::string title) {
    if (isBlank(title)) throw ApiError::invalidField("title", "must not be empty");
    return title;
}

TaskStatus requiredStatus(const std::string& text) {
    if (auto status = parseTaskStatus(text)) return *status;
    throw ApiError::invalidField(
        "status",
        "must be one of todo, in_progress, blocked, completed, cancelled (got '" + text + "')");
}

Priority requiredPriority(const std::string& text) {
    if (auto priority = parsePriority(text)) return *priority;
    throw ApiError::invalidField("priority",
                                 "must be one of low, medium, high (got '" + text + "')");
}

std::vector<std::string> checkedIds(std::string_view field, std::vector<std::string> ids) {
    for (const auto& id : ids)
        if (!isValidId(id))
            throw ApiError::invalidField(field, "contains an invalid id '" + id + "'");
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

std::optional<std::vector<std::string>> optIds(const JsonInput& body, std::string_view field) {
    auto ids = body.optStringArray(field);
    if (!ids) return std::nullopt;
    return checkedIds(field, std::move(*ids));
}

std::string blockerMessage(const std::optional<std::string>& reason) {
    return reason ? *reason : "Blocked (" + std::string(kNoReasonGiven) + ")";
}

// A reason that is given must say something; leaving it out is allowed.
void checkReason(const std::optional<std::string>& reason) {
    if (reason && isBlank(*reason))
        throw ApiError::badRequest("blocked_reason_required",
                                   "blockedReason must not be blank (leave it out instead)");
}

std::string statusChangeMessage(TaskStatus from, TaskStatus to) {
    std::string message = "Status changed from ";
    message += toString(from);
    message += " to ";
    message += toString(to);
    return message;
}

} // namespace

std::string_view toString(TaskStatus status) noexcept {
    switch (status) {
    case TaskStatus::Todo:
        return "todo";
    case TaskStatus::InProgress:
        return "in_progress";
    case TaskStatus::Blocked:
        return "blocked";
    case TaskStatus::Completed:
        return "completed";
    case TaskStatus::Cancelled:
        return "cancelled";
    }
    return "todo";
}

std::string_view toString(Priority priority) noexcept {
    switch (priority) {
    case Priority::Low:
        return "low";
    case Priority::Medium:
        return "medium";
    case Priority::High:
        return "high";
    }
    return "medium";
}

std::optional<TaskStatus> parseTaskStatus(std::string_view text) noexcept {
    if (text == "pending") return TaskStatus::Todo;
    for (auto status : kAllTaskStatuses)
        if (toString(status) == text) return status;
    return std::nullopt;
}

bool isValidSessionStatus(std::string_view text) noexcept {
    return std::find(std::begin(kSessionStatuses), std::end(kSessionStatuses), text) !=
           std::end(kSessionStatuses);
}

std::optional<Priority> parsePriority(std::string_view text) noexcept {
    for (auto priority : kAllPriorities)
        if (toString(priority) == text) return priority;
    return std::nullopt;
}

TaskDraft parseTaskDraft(const JsonInput& body, DraftKind kind) {
    TaskDraft draft;
    if (kind == DraftKind::Task) {
        draft.projectId = body.requiredString("projectId", 128);
        if (!isValidId(draft.projectId))
            throw ApiError::invalidField("projectId", "is not a valid id");
        if (auto parent = body.optNullableString("parentId", 128); parent && *parent) {
            if (!isValidId(**parent)) throw ApiError::invalidField("parentId", "is not a valid id");
            draft.parentId = **parent;
        }
    }
    draft.title = checkedTitle(body.requiredString("title", kMaxTitle));
    draft.description = body.optString("description", kMaxDescription).value_or("");
    if (auto priority = body.optString("priority", 16))
        draft.priority = requiredPriority(*priority);
    if (auto status = body.optString("status", 32)) draft.status = requiredStatus(*status);
    if (auto reason = body.optNullableString("blockedReason", kMaxReason); reason && *reason)
        draft.blockedReason = **reason;
    if (draft.status == TaskStatus::Blocked) checkReason(draft.blockedReason);
    if (draft.status != TaskStatus::Blocked && draft.blockedReason)
        throw ApiError::invalidField("blockedReason", "is only allowed with status blocked");
    draft.initialPrompt = body.optString("initialPrompt", kMaxPrompt).value_or("");
    draft.skillIds = body.optStringArray("skillIds").value_or(std::vector<std::string>{});
    draft.agentIds = body.optStringArray("agentIds").value_or(std::vector<std::string>{});
    draft.dependencies = optIds(body, "dependencies").value_or(std::vector<std::string>{});
    draft.order = body.optInteger("order");
    return draft;
}

TaskPatch parseTaskPatch(const JsonInput& body) {
    TaskPatch patch;
    if (auto title = body.optString("title", kMaxTitle))
        patch.title = checkedTitle(std::move(*title));
    patch.description = body.optString("description", kMaxDescription);
    if (auto status = body.optString("status", 32)) patch.status = requiredStatus(*status);
    if (auto priority = body.optString("priority", 16))
        patch.priority = requiredPriority(*priority);
    patch.blockedReason = body.optNullableString("blockedReason", kMaxReason);
    patch.initialPrompt = body.optString("initialPrompt", kMaxPrompt);
    patch.sessionIds = optIds(body, "sessionIds");
    patch.skillIds = body.optStringArray("skillIds");
    patch.agentIds = body.optStringArray("agentIds");
    patch.dependencies = optIds(body, "dependencies");
    patch.order = body.optInteger("order");
    patch.completed = body.optBool("completed");
    if (patch.completed && patch.status &&
        *patch.completed != (*patch.status == TaskStatus::Completed))
        throw ApiError::invalidField("completed", "contradicts status");
    if (auto entries = body.optObjectArray("timeline", kMaxTimelineEntriesPerPatch))
        for (const auto& entry : *entries)
            patch.timeline.push_back(parseTimelineDraft(entry));
    if (auto sessionStatus = body.optNullableString("sessionStatus", 32)) {
        if (*sessionStatus && !isValidSessionStatus(**sessionStatus))
            throw ApiError::invalidField("sessionStatus",
                                         "must be one of queued, working, needs_input, blocked, "
                                         "completed, failed, skipped (got '" +
                                             **sessionStatus + "')");
        patch.sessionStatus = sessionStatus->value_or("");
    }
    if (auto session = body.optNullableString("sessionId", 128); session && *session) {
        if (!isValidId(**session)) throw ApiError::invalidField("sessionId", "is not a valid id");
        patch.bySession = **session;
    }
    if (auto source = body.optString("updateSource", 16)) {
        if (*source != "user" && *source != "session")
            throw ApiError::invalidField("updateSource", "must be user or session");
        // A session reports on its own work; what the task is belongs to the user.
        if (*source == "session")
            for (const char* field : {"title", "description", "status", "priority", "blockedReason",
                                      "completed", "initialPrompt", "order", "sessionIds",
                                      "skillIds", "agentIds", "dependencies", "timeline"})
                if (body.has(field))
                    throw ApiError::invalidField(field, "cannot be changed by a session update "
                                                        "(updateSource session changes only "
                                                        "sessionStatus)");
    }
    // Moving a task between parents or projects is not an update of the task itself.
    if (body.has("projectId") || body.has("parentId"))
        throw ApiError::badRequest("immutable_field",
                                   "projectId and parentId cannot be changed; create a new task");
    return patch;
}

Task makeTask(TaskDraft draft, std::int64_t order, std::int64_t now) {
    Task task;
    task.id = newId("task");
    task.projectId = std::move(draft.projectId);
    task.parentId = std::move(draft.parentId);
    task.title = std::move(draft.title);
    task.description = std::move(draft.description);
    task.status = draft.status;
    task.priority = draft.priority;
    task.blockedReason = std::move(draft.blockedReason);
    task.createdAt = task.updatedAt = now;
    if (task.status == TaskStatus::InProgress) task.startedAt = now;
    if (task.status == TaskStatus::Completed) task.completedAt = now;
    task.initialPrompt = std::move(draft.initialPrompt);
    task.skillIds = std::move(draft.skillIds);
    task.agentIds = std::move(draft.agentIds);
    task.dependencies = std::move(draft.dependencies);
    task.order = draft.order.value_or(order);
    task.version = 1;
    appendTimeline(task, {"created", "Task created", std::nullopt}, now);
    if (task.status == TaskStatus::Blocked)
        appendTimeline(task, {"blocker", blockerMessage(task.blockedReason), std::nullopt}, now);
    return task;
}

void appendTimeline(Task& task, TimelineDraft entry, std::int64_t now) {
    appendTimeline(task.timeline, std::move(entry), now);
    ++task.timelineCount;
    ++task.unsavedEntries;
}

bool applyPatch(Task& task, const TaskPatch& patch, std::int64_t now) {
    Task before = task;
    std::vector<std::string_view> changedFields;
    auto assign = [&changedFields](auto& field, const auto& value, std::string_view name) {
        if (value && *value != field) {
            field = *value;
            changedFields.push_back(name);
        }
    };
    assign(task.title, patch.title, "title");
    assign(task.description, patch.description, "description");
    assign(task.priority, patch.priority, "priority");
    assign(task.initialPrompt, patch.initialPrompt, "initialPrompt");
    assign(task.sessionIds, patch.sessionIds, "sessionIds");
    assign(task.skillIds, patch.skillIds, "skillIds");
    assign(task.agentIds, patch.agentIds, "agentIds");
    assign(task.dependencies, patch.dependencies, "dependencies");
    assign(task.order, patch.order, "order");
    if (patch.dependencies && std::find(patch.dependencies->begin(), patch.dependencies->end(),
                                        task.id) != patch.dependencies->end())
        throw ApiError::invalidField("dependencies", "a task cannot depend on itself");

    // Status and the blocked reason move together.
    TaskStatus next = patch.status.value_or(task.status);
    if (patch.completed && !patch.status) {
        if (*patch.completed)
            next = TaskStatus::Completed;
        else if (task.status == TaskStatus::Completed)
            next = TaskStatus::Todo;
    }
    std::optional<std::string> reason;
    if (next == TaskStatus::Blocked) {
        if (patch.blockedReason)
            reason = *patch.blockedReason;
        else if (task.status == TaskStatus::Blocked)
            reason = task.blockedReason;
        checkReason(reason);
    } else if (patch.blockedReason && *patch.blockedReason && !isBlank(**patch.blockedReason)) {
        throw ApiError::invalidField("blockedReason", "is only allowed with status blocked");
    }

    if (next != task.status) {
        if (next == TaskStatus::Blocked)
            appendTimeline(task, {"blocker", blockerMessage(reason), std::nullopt}, now);
        else
            appendTimeline(task,
                           {"status_changed", statusChangeMessage(task.status, next), std::nullopt},
                           now);
        if (next == TaskStatus::InProgress && !task.startedAt) task.startedAt = now;
        if (next == TaskStatus::Completed)
            task.completedAt = now;
        else if (task.status == TaskStatus::Completed)
            task.completedAt.reset();
        task.status = next;
    } else if (next == TaskStatus::Blocked && reason != task.blockedReason) {
        appendTimeline(task, {"blocker", blockerMessage(reason), std::nullopt}, now);
    }
    task.blockedReason = reason;

    if (patch.sessionStatus) {
        std::optional<std::string> sessionStatus;
        if (!patch.sessionStatus->empty()) sessionStatus = *patch.sessionStatus;
        if (sessionStatus != task.sessionStatus) {
            task.sessionStatus = sessionStatus;
            std::optional<std::string> by;
            if (patch.bySession && !patch.bySession->empty()) by = *patch.bySession;
            appendTimeline(
                task, {"update", "Session status: " + sessionStatus.value_or("none"), by}, now);
        }
    }

    if (!changedFields.empty()) {
        std::string message = "Updated ";
        for (std::size_t i = 0; i < changedFields.size(); ++i) {
            if (i) message += ", ";
            message += changedFields[i];
        }
        appendTimeline(task, {"update", std::move(message), std::nullopt}, now);
    }
    for (const auto& entry : patch.timeline)
        appendTimeline(task, entry, now);

    if (task.timelineCount == before.timelineCount) {
        task = std::move(before); // nothing changed: keep version and updatedAt
        return false;
    }
    task.updatedAt = now;
    ++task.version;
    return true;
}

void writeJson(json::Writer& out, const Task& task) {
    out.beginObject()
        .field("id", task.id)
        .field("projectId", task.projectId)
        .field("parentId", task.parentId)
        .field("title", task.title)
        .field("description", task.description)
        .field("status", toString(task.status))
        .field("priority", toString(task.priority))
        .field("createdAt", task.createdAt)
        .field("updatedAt", task.updatedAt)
        .field("startedAt", task.startedAt)
        .field("completedAt", task.completedAt)
        .field("initialPrompt", task.initialPrompt)
        .stringArray("sessionIds", task.sessionIds)
        .stringArray("skillIds", task.skillIds)
        .stringArray("agentIds", task.agentIds)
        .stringArray("dependencies", task.dependencies)
        .field("blockedReason", task.blockedReason)
        .field("sessionStatus", task.sessionStatus)
        .field("order", task.order)
        .field("version", task.version)
        .field("timelineCount", task.timelineCount)
        .key("timeline");
    std::span<const TimelineEntry> timeline{task.timeline};
    writeJson(out, timeline.subspan(inlineWindowStart(timeline)));
    out.endObject();
}

std::string toJson(const Task& task) {
    json::Writer out(512 + task.description.size() + task.initialPrompt.size());
    writeJson(out, task);
    return out.take();
}

std::string toSubtaskJson(std::string_view taskJson, std::string_view parentId, bool completed) {
    // taskJson is an object rendered by writeJson, so it ends with '}'.
    std::string out{taskJson.substr(0, taskJson.size() - 1)};
    out += ",\"taskId\":";
    json::Writer::appendQuoted(out, parentId);
    out += ",\"completed\":";
    out += completed ? "true" : "false";
    out += '}';
    return out;
}

std::string toSubtaskJson(const Task& task) {
    return toSubtaskJson(toJson(task), task.parentId.value_or(""),
                         task.status == TaskStatus::Completed);
}

Task taskFromJson(std::string_view json) {
    StoredJson stored(json);
    Task task;
    task.id = stored.string("id");
    task.projectId = stored.string("projectId");
    task.parentId = stored.optionalString("parentId");
    task.title = stored.string("title");
    task.description = stored.string("description");
    task.status = parseTaskStatus(stored.string("status")).value_or(TaskStatus::Todo);
    task.priority = parsePriority(stored.string("priority")).value_or(Priority::Medium);
    task.createdAt = stored.integer("createdAt");
    task.updatedAt = stored.integer("updatedAt");
    task.startedAt = stored.optionalInteger("startedAt");
    task.completedAt = stored.optionalInteger("completedAt");
    task.initialPrompt = stored.string("initialPrompt");
    task.sessionIds = stored.strings("sessionIds");
    task.skillIds = stored.strings("skillIds");
    task.agentIds = stored.strings("agentIds");
    task.dependencies = stored.strings("dependencies");
    task.blockedReason = stored.optionalString("blockedReason");
    task.sessionStatus = stored.optionalString("sessionStatus");
    task.order = stored.integer("order");
    task.version = stored.integer("version");
    task.timeline = timelineFromJson(stored.object().getArray("timeline"));
    task.timelineCount = stored.optionalInteger("timelineCount")
                             .value_or(static_cast<std::int64_t>(task.timeline.size()));
    return task;
}

} // namespace maestro::domain
