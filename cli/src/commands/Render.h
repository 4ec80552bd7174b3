#pragma once

#include "Json.h"
#include "Output.h"

#include <string>
#include <vector>

// Human renderings shared by several command groups.
namespace maestro::cli::render {

// A table of tasks (or subtasks): ID, STATUS, PRIORITY, TITLE.
void taskTable(TextOut& out, const json::Array& tasks);
// One task in detail, with the latest entries of its timeline.
void taskDetail(TextOut& out, const json::Object& task);
// "Created task_… (title)" style one-liners for a changed task.
void taskLine(TextOut& out, const std::string& verb, const json::Object& task);

void projectTable(TextOut& out, const json::Array& projects);
void projectDetail(TextOut& out, const json::Object& project);

void sessionTable(TextOut& out, const json::Array& sessions);
void sessionDetail(TextOut& out, const json::Object& session);

// One event: seq, time, type and what it is about.
void eventLine(TextOut& out, const json::Object& event);

// Ids of the objects of an array (what -q prints for a list).
std::vector<std::string> ids(const json::Array& items);

// "none" when empty, else the items joined by ", ".
std::string joined(const std::vector<std::string>& items);
// Why a task is blocked: its blockedReason, or "no reason given" for a blocked task without one
// (the original API blocks without a reason); empty for a task that is not blocked. `blocked`
// says the task is known to be blocked when the object has no status (GET /api/status).
std::string blockedReason(const json::Object& task, bool blocked = false);

} // namespace maestro::cli::render
