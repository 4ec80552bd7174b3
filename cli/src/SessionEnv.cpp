#include "SessionEnv.h"

#include "domain/JsonWriter.h"

#include <cstdlib>
#include <optional>

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
    const auto orNull = [](const std::string& value) {
        return value.empty() ? std::nullopt : std::optional<std::string>(value);
    };
    domain::JsonWriter out(256);
    out.beginObject()
        .field("apiUrl", orNull(apiUrl))
        .field("projectId", orNull(projectId))
        .field("sessionId", orNull(sessionId))
        .field("taskId", orNull(taskId))
        .stringArray("taskIds", taskIds)
        .field("role", orNull(role))
        .stringArray("skills", skills)
        .field("briefFile", orNull(briefFile))
        .field("parentSessionId", orNull(parentSessionId))
        .field("inSession", inSession())
        .endObject();
    return out.take();
}

} // namespace maestro::cli
