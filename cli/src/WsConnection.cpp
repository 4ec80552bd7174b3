#include "WsConnection.h"

#include "CliError.h"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace maestro::cli {

namespace {

Poco::Timespan timespan(Millis timeout) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000);
}

TransportError lost(const Poco::Exception& e) {
    if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e))
        return TransportError(TransportFailure::Refused, "connection refused");
    if (dynamic_cast<const Poco::TimeoutException*>(&e))
        return TransportError(TransportFailure::Timeout, "timed out");
    return TransportError(TransportFailure::Reset, e.displayText());
}

// Thrown out of a wait between reconnect attempts when an input's `away` ends the conversation.
struct EndedWhileAway {};

} // namespace

WsConnection::WsConnection(const ServerUrl& url, const std::optional<std::string>& token,
                           Millis timeout) {
    using namespace Poco::Net;
    try {
        session_ =
            std::make_unique<HTTPClientSession>(url.host, static_cast<Poco::UInt16>(url.port));
        session_->setTimeout(timespan(timeout), timespan(timeout), timespan(timeout));
        HTTPRequest request(HTTPRequest::HTTP_GET, url.basePath + "/ws", HTTPMessage::HTTP_1_1);
        if (token) request.set("Authorization", "Bearer " + *token);
        HTTPResponse response;
        socket_ = std::make_unique<WebSocket>(*session_, request, response);
    } catch (const WebSocketException& e) {
        // The server answered, but not with an upgrade: its error is the reason.
        throw TransportError(TransportFailure::Protocol, "WebSocket refused: " + e.displayText());
    } catch (const Poco::Exception& e) {
        throw lost(e);
    }
}

WsConnection::~WsConnection() {
    try {
        if (socket_) socket_->shutdown();
    } catch (const Poco::Exception&) {
        // Closing a connection that is already gone.
    }
}

void WsConnection::send(const std::string& text) {
    try {
        socket_->sendFrame(text.data(), static_cast<int>(text.size()),
                           Poco::Net::WebSocket::FRAME_TEXT);
    } catch (const Poco::Exception& e) {
        throw lost(e);
    }
}

std::optional<std::string> WsConnection::receive(Millis wait) {
    using Poco::Net::WebSocket;
    try {
        socket_->setReceiveTimeout(timespan(wait));
        while (true) {
            Poco::Buffer<char> buffer(0);
            int flags = 0;
            const int n = socket_->receiveFrame(buffer, flags);
            const int opcode = flags & WebSocket::FRAME_OP_BITMASK;
            if (opcode == WebSocket::FRAME_OP_PING) {
                socket_->sendFrame(buffer.begin(), n,
                                   static_cast<int>(WebSocket::FRAME_FLAG_FIN) |
                                       WebSocket::FRAME_OP_PONG);
                // Back to a caller that may be watching other descriptors too.
                if (socket_->available() == 0) return std::nullopt;
                continue;
            }
            if (opcode == WebSocket::FRAME_OP_CLOSE || (n == 0 && flags == 0))
                throw TransportError(TransportFailure::Reset, "the server closed the WebSocket");
            if (opcode == WebSocket::FRAME_OP_TEXT || opcode == WebSocket::FRAME_OP_CONT)
                return std::string(buffer.begin(), static_cast<std::size_t>(n));
        }
    } catch (const Poco::TimeoutException&) {
        return std::nullopt;
    } catch (const TransportError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw lost(e);
    }
}

bool WsConnection::poll(std::span<pollfd> others, Millis wait) {
    int available = 0;
    try {
        // Bytes Poco read ahead with the handshake do not show on the descriptor.
        available = socket_->available();
    } catch (const Poco::Exception& e) {
        throw lost(e);
    }
    std::vector<pollfd> fds;
    fds.reserve(others.size() + 1);
    fds.push_back({socket_->impl()->sockfd(), POLLIN, 0});
    fds.insert(fds.end(), others.begin(), others.end());
    const int timeout = available > 0 ? 0 : static_cast<int>(wait.count());
    const int n = ::poll(fds.data(), static_cast<nfds_t>(fds.size()), timeout);
    if (n < 0 && errno != EINTR)
        throw TransportError(TransportFailure::Reset, std::string("poll: ") + std::strerror(errno));
    for (std::size_t i = 0; i < others.size(); ++i)
        others[i].revents = n > 0 ? fds[i + 1].revents : 0;
    return available > 0 || (n > 0 && fds[0].revents != 0);
}

json::Object serverMessage(const std::string& text) {
    auto message = json::parseObject(text);
    if (json::text(message, "type") == "error")
        throw CliError(kExitRefused, json::text(message, "code"), json::text(message, "message"));
    return message;
}

std::unique_ptr<WsConnection>
connectWithRetry(const ServerUrl& url, const std::optional<std::string>& token,
                 const RetrySettings& settings, const RetryClock& clock,
                 const std::function<void(const std::string&)>& note) {
    RetryLoop loop(settings, clock);
    std::string problem;
    while (auto timeout = loop.beginAttempt()) {
        try {
            return std::make_unique<WsConnection>(url, token, *timeout);
        } catch (const TransportError& error) {
            problem = error.what();
            if (note)
                note("WebSocket: " + problem + " (attempt " + std::to_string(loop.attempts()) +
                     ")");
            if (!loop.waitBeforeRetry()) break;
        }
    }
    throw unreachableError(url, loop.attempts(), loop.elapsed(), problem);
}

void followWebSocket(const FollowOptions& options, const std::function<void(WsConnection&)>& start,
                     const std::function<bool(const std::string&)>& handle) {
    // The server pings after 30 s of silence and drops a client it has not heard from in 90 s;
    // a ping of our own now and then keeps a quiet stream open through proxies too.
    constexpr Millis kPoll{1000};
    constexpr Millis kKeepAlive{25000};
    // Kept across reconnects: an input that ended stays dropped (a negative fd is not polled).
    std::vector<pollfd> watched;
    for (const auto& input : options.inputs)
        watched.push_back({input.fd, POLLIN, 0});
    // Between reconnect attempts the inputs that have an `away` are watched through the wait.
    RetryClock clock = RetryClock::real();
    clock.sleep = [&](Millis wait) {
        std::vector<pollfd> away(watched);
        for (std::size_t i = 0; i < away.size(); ++i)
            if (!options.inputs[i].away) away[i].fd = -1;
        const auto until = std::chrono::steady_clock::now() + wait;
        for (auto left = wait; left.count() > 0;
             left = std::chrono::duration_cast<Millis>(until - std::chrono::steady_clock::now())) {
            if (::poll(away.data(), away.size(), static_cast<int>(left.count())) <= 0) continue;
            for (std::size_t i = 0; i < away.size(); ++i) {
                if (away[i].fd < 0 || away[i].revents == 0) continue;
                switch (options.inputs[i].away()) {
                case Watch::Keep:
                    break;
                case Watch::Drop:
                    watched[i].fd = away[i].fd = -1;
                    break;
                case Watch::End:
                    throw EndedWhileAway{};
                }
            }
        }
    };
    bool reconnecting = false;
    while (true) {
        std::unique_ptr<WsConnection> connection;
        try {
            connection =
                connectWithRetry(options.url, options.token, options.retry, clock, options.note);
        } catch (const EndedWhileAway&) {
            return;
        }
        if (reconnecting && options.note) options.note("reconnected to " + options.url.text);
        try {
            start(*connection);
            auto quietSince = std::chrono::steady_clock::now();
            while (true) {
                std::optional<std::string> message;
                if (connection->poll(watched, kPoll)) message = connection->receive(kPoll);
                if (message) {
                    quietSince = std::chrono::steady_clock::now();
                    if (!handle(*message)) return;
                } else if (std::chrono::steady_clock::now() - quietSince > kKeepAlive) {
                    connection->send(R"({"type":"ping"})");
                    quietSince = std::chrono::steady_clock::now();
                }
                for (std::size_t i = 0; i < watched.size(); ++i) {
                    if (watched[i].revents == 0) continue;
                    switch (options.inputs[i].ready(*connection)) {
                    case Watch::Keep:
                        break;
                    case Watch::Drop:
                        watched[i].fd = -1;
                        break;
                    case Watch::End:
                        return;
                    }
                }
            }
        } catch (const TransportError& error) {
            if (options.note)
                options.note(std::string("connection lost (") + error.what() + "); reconnecting");
            reconnecting = true;
        }
    }
}

} // namespace maestro::cli
