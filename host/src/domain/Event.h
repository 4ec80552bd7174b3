#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace maestro::domain {

// Event names of the wire protocol (docs/api.md, "Events").
namespace events {
inline constexpr std::string_view kProjectCreated = "project:created";
inline constexpr std::string_view kProjectUpdated = "project:updated";
inline constexpr std::string_view kProjectDeleted = "project:deleted";
inline constexpr std::string_view kTaskCreated = "task:created";
inline constexpr std::string_view kTaskUpdated = "task:updated";
inline constexpr std::string_view kTaskDeleted = "task:deleted";
// {taskId, sessionId}: a session started work on the task (the original clients refetch it).
inline constexpr std::string_view kTaskSessionAdded = "task:session_added";
inline constexpr std::string_view kSubtaskCreated = "subtask:created";
inline constexpr std::string_view kSubtaskUpdated = "subtask:updated";
inline constexpr std::string_view kSubtaskDeleted = "subtask:deleted";
inline constexpr std::string_view kSessionCreated = "session:created";
inline constexpr std::string_view kSessionUpdated = "session:updated";
inline constexpr std::string_view kSessionDeleted = "session:deleted";
inline constexpr std::string_view kSessionSpawnRequest = "session:spawn_request";
// The original Maestro's request to a desktop client to open the session's terminal; sent
// beside session:spawn_request only when clients start sessions (client spawner mode).
inline constexpr std::string_view kSessionSpawn = "session:spawn";
inline constexpr std::string_view kSessionExited = "session:exited";
inline constexpr std::string_view kSessionActivity = "session:activity";
inline constexpr std::string_view kAttentionChanged = "attention:changed";
inline constexpr std::string_view kSessionChanges = "session:changes";
inline constexpr std::string_view kProjectOverlap = "project:overlap";
inline constexpr std::string_view kSkillLoaded = "skill:loaded";
inline constexpr std::string_view kSkillUnloaded = "skill:unloaded";
inline constexpr std::string_view kSkillRejected = "skill:rejected";
} // namespace events

// One entry of the event log. seq is its position: strictly increasing and gap-free.
struct Event {
    std::int64_t seq = 0;
    std::string type;
    std::string dataJson;  // the payload, already rendered
    std::string projectId; // for per-project subscriptions; empty for global events
    std::int64_t timestamp = 0;
};

// {"type":…,"event":…,"seq":…,"data":…,"timestamp":…}; "event" repeats "type" as the
// original Maestro clients expect.
std::string toWireJson(const Event& event);

// The id of what the event is about: data.id, or the id of the subtask or session an event
// wraps ({taskId, subtask}, {taskId, subtaskId}, {session, …}); "" when there is none.
std::string subjectId(const Event& event);

// {"type":…,"event":…,"seq":…,"id":…,"truncated":true}: what a client is sent instead of an
// event its send queue has no room for. It fetches the subject by id (docs/api.md).
std::string toStubJson(const Event& event);

// {"id":…} — the payload of every *:deleted event for a top-level entity.
std::string idPayload(std::string_view id);

} // namespace maestro::domain
