#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maestro::host::ws {

// Terminal streams, as the hub needs them; the session supervisor provides them. Offsets count
// every byte a session ever wrote, so scrollback and live chunks can be stitched without loss
// or overlap. Called on the hub's thread.
class TerminalBridge {
public:
    struct Scrollback {
        std::string data;
        std::uint64_t end = 0; // offset just past data
        // The terminal is on another node: nothing here yet. Its output from `from` arrives
        // later through Hub::publishOutput, marked as the answer to `from`.
        bool relayed = false;
    };
    virtual ~TerminalBridge() = default;
    // The output from `from` (the first offset the client lacks; 0: all), at most the last
    // 1 MiB, ending where live chunks will continue. nullopt when the session has no terminal
    // output here.
    virtual std::optional<Scrollback> scrollback(const std::string& sessionId,
                                                 std::uint64_t from) = 0;
    virtual bool input(const std::string& sessionId, std::string_view data) = 0;
    virtual bool resize(const std::string& sessionId, int cols, int rows) = 0;
    // No client of this hub follows the session's output any more.
    virtual void release(const std::string& /*sessionId*/) {}
};

} // namespace maestro::host::ws
