#pragma once

#include <Poco/JSON/Object.h>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace maestro::test {

using namespace std::chrono_literals;

// A response as it came off the wire, parsed here without any HTTP library.
struct RawResponse {
    std::string version; // "HTTP/1.1"
    int status = 0;
    std::string reason;                         // the status line's reason phrase
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;

    std::string header(const std::string& name) const;
    Poco::JSON::Object::Ptr object() const; // throws if the body is not a JSON object
};

// A TCP connection to the server that sends exactly the bytes it is given and reads responses
// as they arrive: for testing framing, limits and timeouts that no HTTP client would produce.
// Every wait has a deadline, so a server that never answers fails the test instead of hanging.
class RawConnection {
public:
    explicit RawConnection(int port);
    ~RawConnection();
    RawConnection(RawConnection&& other) noexcept;
    RawConnection& operator=(RawConnection&&) = delete;

    // Sends all of bytes; false when the server closed or reset the connection first.
    bool send(std::string_view bytes);
    // Ends the sending side (the server sees end of input); reading goes on.
    void shutdownWrite();
    // The next response (an interim 100 included); its body is read by Content-Length unless
    // headOnly. nullopt when the connection closed or the deadline passed first.
    std::optional<RawResponse> read(std::chrono::milliseconds timeout = 10s, bool headOnly = false);
    // True when the server closes the connection (end of stream or reset) within the deadline;
    // bytes that arrive meanwhile are kept for read().
    bool closedByServer(std::chrono::milliseconds timeout = 10s);
    // Bytes received so far and not yet read as a response.
    const std::string& pending() const noexcept { return buffer_; }

private:
    // Reads what arrives within the deadline; false on end of stream, reset or timeout.
    bool receive(std::chrono::steady_clock::time_point deadline);

    int fd_ = -1;
    std::string buffer_;
};

// Raises this process's open-file limit to its hard limit (tests that hold many connections).
void raiseOpenFileLimit();

} // namespace maestro::test
