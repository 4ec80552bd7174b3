#pragma once

#include <filesystem>
#include <string>

namespace maestro::host::spawn {

// The Claude Code settings a session with `"hooks": "claude"` is started with (--settings
// {hooksFile}; Claude Code merges them into its own). Its hooks run `maestro hook claude`, which
// reads the hook's JSON on stdin and reports the session's activity (docs/sessions.md,
// "Activity"):
//   Notification (a permission prompt, or waiting for input)  → needs_input, its message
//   Stop (the turn is over)                                    → idle
//   UserPromptSubmit, PostToolUse                              → working
// Written to <dir>/hooks.json; `cli` is the maestro binary ("maestro" when unknown: the
// session's PATH has it).
std::filesystem::path writeClaudeHooks(const std::filesystem::path& dir,
                                       const std::filesystem::path& cli);

} // namespace maestro::host::spawn
