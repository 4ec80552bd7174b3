#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace maestro::host::mcp {

// The MCP sessions of the Streamable HTTP transport (Mcp-Session-Id): what initialize agreed
// on, kept in memory. A session unused for an hour is forgotten, and so is the least recently
// used one when the table is full, so no client can grow it without bound; its client gets 404
// and initializes again, as the transport prescribes.
class Sessions {
public:
    struct Entry {
        std::string protocolVersion;
        std::optional<std::string> maestroSession; // named at initialize (X-Maestro-Session)
        std::chrono::steady_clock::time_point lastUsed;
    };

    static constexpr std::size_t kMaxSessions = 1024;
    static constexpr std::chrono::hours kIdleLimit{1};

    // A new session; returns its id (128 random bits, hex).
    std::string open(std::string protocolVersion, std::optional<std::string> maestroSession);
    // The session, marked as used now; nullopt when unknown or expired.
    std::optional<Entry> use(const std::string& id);
    // Ends a session; false when there was none.
    bool close(const std::string& id);

private:
    void evict(std::chrono::steady_clock::time_point now);

    std::mutex mutex_;
    std::unordered_map<std::string, Entry> sessions_;
};

} // namespace maestro::host::mcp
