#pragma once

#include "Http.h"
#include "Json.h"
#include "RetryPolicy.h"

#include <functional>
#include <memory>
#include <optional>
#include <poll.h>
#include <span>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
class WebSocket;
} // namespace Poco::Net

namespace maestro::cli {

// One WebSocket to the server (docs/api.md, "WebSocket"), text messages only. The CLI sends no
// Origin: the server refuses foreign browser origins, and a command-line client has none.
class WsConnection {
public:
    // Connects and upgrades; throws TransportError when that fails.
    WsConnection(const ServerUrl& url, const std::optional<std::string>& token, Millis timeout);
    ~WsConnection();
    WsConnection(const WsConnection&) = delete;
    WsConnection& operator=(const WsConnection&) = delete;

    void send(const std::string& text);
    // The next text message, or nullopt when none arrived within `wait` (or only a ping did,
    // which it answers). Throws TransportError when the connection has ended.
    std::optional<std::string> receive(Millis wait);
    // Waits up to `wait` until a message can be received or one of `others` is readable (their
    // revents say which), without busy-waiting; true when the connection is. A signal ends the
    // wait early with nothing ready, so what its handler did is seen at once.
    bool poll(std::span<pollfd> others, Millis wait);

private:
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
};

// Connects with the retry policy (RetryPolicy.h); throws CliError 69 once it gives up.
std::unique_ptr<WsConnection> connectWithRetry(const ServerUrl& url,
                                               const std::optional<std::string>& token,
                                               const RetrySettings& settings,
                                               const RetryClock& clock,
                                               const std::function<void(const std::string&)>& note);

// Parses one server message; a {"type":"error",code,message} becomes CliError 65.
json::Object serverMessage(const std::string& text);

// A descriptor a WebSocket conversation watches beside the connection (stdin, a signal's pipe):
// `ready` runs when it is readable, with the connection to send on, and says what next.
// `away`, when set, runs instead while there is no connection (between reconnect attempts), so
// that the input can still end the conversation; without it the descriptor waits unread.
enum class Watch {
    Keep, // watch it again
    Drop, // stop watching it (end of input); the conversation goes on
    End,  // end the conversation
};
struct FollowInput {
    int fd = -1;
    std::function<Watch(WsConnection&)> ready;
    std::function<Watch()> away;
};

// Keeps a WebSocket conversation going across lost connections: connects (with retries), calls
// `start` after every (re)connect so the caller can subscribe again from where it was, and hands
// each text message to `handle` until it returns false, or an input's `ready` (or `away`)
// returns End. Throws CliError 69 when a reconnect gives up.
struct FollowOptions {
    ServerUrl url;
    std::optional<std::string> token;
    RetrySettings retry;
    std::function<void(const std::string&)> note; // connection lost / restored, for people
    std::vector<FollowInput> inputs;
};
void followWebSocket(const FollowOptions& options, const std::function<void(WsConnection&)>& start,
                     const std::function<bool(const std::string&)>& handle);

} // namespace maestro::cli
