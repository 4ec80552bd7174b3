#include "domain/ApiError.h"
#include "mcp/Tool.h"

namespace maestro::host::mcp {

std::string ToolCall::taskId() const {
    if (auto id = arguments_.optString("taskId", 128)) return *id;
    if (session_) {
        auto session = env_.services.sessions.find(*session_);
        if (!session.taskIds.empty()) return session.taskIds.front();
    }
    throw domain::ApiError::invalidField(
        "taskId", "is required when the request names no Maestro session with a task");
}

std::optional<std::string> ToolCall::projectId() const {
    if (auto id = arguments_.optString("projectId", 128)) return id;
    if (session_) return env_.services.sessions.find(*session_).projectId;
    return std::nullopt;
}

Poco::JSON::Object::Ptr ToolCall::body(std::initializer_list<const char*> without) const {
    Poco::JSON::Object::Ptr copy = new Poco::JSON::Object(*arguments_.object());
    for (const char* name : without)
        copy->remove(name);
    return copy;
}

} // namespace maestro::host::mcp
