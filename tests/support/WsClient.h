#pragma once

#include <Poco/JSON/Object.h>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace Poco::Net {
class WebSocket;
class HTTPClientSession;
} // namespace Poco::Net

namespace maestro::test {

// A WebSocket client (Poco's, independent of the server's framing code) with timeouts.
class WsClient {
public:
    WsClient(int port, const std::string& path = "/", const std::string& origin = {});
    ~WsClient();

    void send(const std::string& text);
    // The next text message as JSON, or nullopt when none arrives in time or the server closed.
    std::optional<Poco::JSON::Object::Ptr>
    receive(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // Receives until a message satisfies predicate (returned) or the deadline passes.
    std::optional<Poco::JSON::Object::Ptr>
    receiveUntil(const std::function<bool(const Poco::JSON::Object::Ptr&)>& predicate,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // The close code the server sent, once a receive saw the close frame.
    std::optional<int> closeCode() const noexcept { return closeCode_; }
    void close();

private:
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    std::optional<int> closeCode_;
};

} // namespace maestro::test
