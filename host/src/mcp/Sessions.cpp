#include "mcp/Sessions.h"

#include <algorithm>
#include <cstdio>
#include <random>

namespace maestro::host::mcp {

std::string Sessions::open(std::string protocolVersion, std::optional<std::string> maestroSession) {
    static thread_local std::random_device random;
    char id[33];
    for (int i = 0; i < 4; ++i)
        std::snprintf(id + i * 8, 9, "%08x", static_cast<unsigned>(random()));
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    evict(now);
    sessions_[id] = {std::move(protocolVersion), std::move(maestroSession), now};
    return id;
}

std::optional<Sessions::Entry> Sessions::use(const std::string& id) {
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    auto found = sessions_.find(id);
    if (found == sessions_.end()) return std::nullopt;
    if (now - found->second.lastUsed > kIdleLimit) {
        sessions_.erase(found);
        return std::nullopt;
    }
    found->second.lastUsed = now;
    return found->second;
}

bool Sessions::close(const std::string& id) {
    std::lock_guard lock(mutex_);
    return sessions_.erase(id) > 0;
}

void Sessions::evict(std::chrono::steady_clock::time_point now) {
    std::erase_if(sessions_,
                  [now](const auto& item) { return now - item.second.lastUsed > kIdleLimit; });
    if (sessions_.size() < kMaxSessions) return;
    auto oldest =
        std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
            return a.second.lastUsed < b.second.lastUsed;
        });
    sessions_.erase(oldest);
}

} // namespace maestro::host::mcp
