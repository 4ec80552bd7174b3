#include "SessionEnv.h"

#include "json/Writer.h"

#include <cstdlib>

namespace maestro::cli {

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::string current;
    for (char c : text) {
        if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
            if (!current.empty()) items.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) items.push_back(std::move(current));
    return items;
}

SessionEnv SessionEnv::fromEnvironment(const std::function<const char*(const char*)>& lookup) {
    const auto get = [&lookup](const char* name) -> std::string {
        const char* value = lookup ? lookup(name) : std::getenv(name);
        return value ? value : "";
    };
    SessionEnv env;
    env.apiUrl = get("MAESTRO_API_URL");
    env.projectId = get("MAESTRO_PROJECT_ID");
    env.sessionId = get("MAESTRO_SESSION_ID");
    env.taskId = get("MAESTRO_TASK_ID");
    env.taskIds = splitList(get("MAESTRO_TASK_IDS"));
    env.role = get("MAESTRO_ROLE");
    env.skills = splitList(get("MAESTRO_SKILLS"));
    env.briefFile = get("MAESTRO_BRIEF_FILE");
    env.parentSessionId = get("MAESTRO_PARENT_SESSION_ID");
    return env;
}

std::string SessionEnv::toJson() const {
    maestro::json::Writer out(256);
    out.beginObject();
    const auto text = [&out](std::string_view key, const std::string& value) {
        if (!value.empty()) out.field(key, value);
    };
    const auto list = [&out](std::string_view key, const std::vector<std::string>& values) {
        if (!values.empty()) out.stringArray(key, values);
    };
    text("apiUrl", apiUrl);
    text("projectId", projectId);
    text("sessionId", sessionId);
    text("taskId", taskId);
    list("taskIds", taskIds);
    text("role", role);
    list("skills", skills);
    text("briefFile", briefFile);
    text("parentSessionId", parentSessionId);
    return out.endObject().take();
}

} // namespace maestro::cli
