#include "worktree/BranchName.h"

namespace maestro::host::worktree {

namespace {

constexpr std::size_t kMaxSlug = 40;
constexpr std::size_t kShortId = 8;

bool isSlugChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

} // namespace

std::string taskSlug(std::string_view title) {
    std::string slug;
    bool dash = false;
    for (char raw : title) {
        char c = (raw >= 'A' && raw <= 'Z') ? static_cast<char>(raw - 'A' + 'a') : raw;
        if (isSlugChar(c)) {
            if (dash && !slug.empty()) slug += '-';
            dash = false;
            if (slug.size() >= kMaxSlug) break;
            slug += c;
        } else {
            dash = true;
        }
    }
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    return slug.empty() ? "task" : slug;
}

std::string sessionBranch(std::string_view taskTitle, std::string_view sessionId) {
    std::string shortId;
    for (char c : sessionId.substr(sessionId.size() > kShortId ? sessionId.size() - kShortId : 0))
        if (isSlugChar(c) || (c >= 'A' && c <= 'Z')) shortId += c;
    if (shortId.empty()) shortId = "session";
    return "maestro/" + taskSlug(taskTitle) + "-" + shortId;
}

std::string uniqueBranch(const std::string& wanted, const std::set<std::string>& taken) {
    if (!taken.count(wanted)) return wanted;
    for (int n = 2;; ++n) {
        auto candidate = wanted + "-" + std::to_string(n);
        if (!taken.count(candidate)) return candidate;
    }
}

} // namespace maestro::host::worktree
