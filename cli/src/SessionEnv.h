#pragma once

#include <functional>
#include <string>
#include <vector>

namespace maestro::cli {

// The session context a spawned agent receives in MAESTRO_* variables (docs/sessions.md,
// "The session's environment"). Empty strings stand for unset variables.
struct SessionEnv {
    std::string apiUrl;               // MAESTRO_API_URL
    std::string projectId;            // MAESTRO_PROJECT_ID
    std::string sessionId;            // MAESTRO_SESSION_ID
    std::string taskId;               // MAESTRO_TASK_ID
    std::vector<std::string> taskIds; // MAESTRO_TASK_IDS, comma- or space-separated
    std::string role;                 // MAESTRO_ROLE
    std::vector<std::string> skills;  // MAESTRO_SKILLS, comma- or space-separated
    std::string briefFile;            // MAESTRO_BRIEF_FILE
    std::string parentSessionId;      // MAESTRO_PARENT_SESSION_ID

    // `lookup` stands in for std::getenv in tests.
    static SessionEnv
    fromEnvironment(const std::function<const char*(const char*)>& lookup = nullptr);

    bool inSession() const noexcept { return !sessionId.empty(); }

    // {apiUrl, projectId, sessionId, taskId, taskIds[], role, skills[], briefFile,
    //  parentSessionId}, unset ones left out (docs/skills.md, "Session context"). What
    // `whoami --json` prints and what skill commands receive as their session context.
    std::string toJson() const;
};

// "a, b c" → {"a", "b", "c"}.
std::vector<std::string> splitList(const std::string& text);

} // namespace maestro::cli
