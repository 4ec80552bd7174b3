#pragma once

#include <cstddef>

// The bounds on what the server stores, in one place (docs/api.md, "Limits", lists them).
// A request that would go over one is refused with 413 and the limit in `details`.
namespace maestro::domain::limits {

// One entity as it is stored and announced (a task's or a session's JSON): so no event is
// bigger than this either.
inline constexpr std::size_t kMaxStoredJson = 1u << 20;

// One timeline entry's message.
inline constexpr std::size_t kMaxTimelineMessage = 16u * 1024;

// A task carries only the newest entries of its timeline: at most this many, and no more than
// kInlineTimelineBytes of their messages (the newest one always). Older entries are paged from
// GET /api/tasks/:id/timeline. Rewriting and announcing a task so costs the same whether its
// history is ten entries long or ten thousand.
inline constexpr std::size_t kInlineTimelineEntries = 50;
inline constexpr std::size_t kInlineTimelineBytes = 64u * 1024;

} // namespace maestro::domain::limits
