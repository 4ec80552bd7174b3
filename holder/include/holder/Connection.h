#pragma once

#include "holder/Protocol.h"

#include <chrono>
#include <filesystem>
#include <optional>

namespace maestro::holder {

// One client connection to a holder, for callers that wait (the maestro CLI, tests):
// blocking sends with a deadline, and receives that wait up to a given time. maestro-server
// drives its connections from its own epoll loop instead (spawn/Supervisor.h).
class Connection {
public:
    // Takes over a connected, non-blocking socket and says Hello.
    explicit Connection(int fd);
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&&) = delete;
    ~Connection();

    // Connects to the holder of the session in `dir`; nullopt when none listens there.
    static std::optional<Connection> open(const std::filesystem::path& dir);

    int fd() const noexcept { return fd_; }
    // False once the holder has closed the connection (or it broke).
    bool open() const noexcept { return !closed_; }
    // Sends one frame; false when the holder is gone or made no room within `timeout`.
    bool send(Type type, std::string_view payload = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(2));
    // The next frame: one already received, or one that arrives within `wait` (0: only what
    // the socket has now). nullopt when none did or the connection has ended. Throws
    // ProtocolError when the holder breaks the framing.
    std::optional<Frame> receive(std::chrono::milliseconds wait);

private:
    int fd_ = -1;
    bool closed_ = false;
    FrameReader reader_;
};

} // namespace maestro::holder
