#pragma once

#include <set>
#include <string>
#include <string_view>

namespace maestro::host::worktree {

// "Add Stripe checkout!" → "add-stripe-checkout": lower-case ASCII letters and digits, runs of
// anything else as one "-", at most 40 characters, never empty ("task").
std::string taskSlug(std::string_view title);

// The branch of a session's worktree: maestro/<task-slug>-<short session id>, where the short
// id is the last 8 characters of the session id's random part.
std::string sessionBranch(std::string_view taskTitle, std::string_view sessionId);

// `wanted`, or wanted-2, wanted-3, … — the first name not in `taken`.
std::string uniqueBranch(const std::string& wanted, const std::set<std::string>& taken);

} // namespace maestro::host::worktree
