#pragma once

#include "mcp/Tool.h"

#include <vector>

// The tools, by group; each group in its own file.
namespace maestro::host::mcp {

std::vector<Tool> statusTools();  // status_overview
std::vector<Tool> taskTools();    // task_list, task_get, task_create, task_update, …
std::vector<Tool> subtaskTools(); // subtask_list, subtask_add, subtask_complete, subtask_reorder
std::vector<Tool> reportTools();  // report_progress, report_needs_input
std::vector<Tool> sessionTools(); // session_list, session_spawn

} // namespace maestro::host::mcp
