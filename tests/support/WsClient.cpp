#include "WsClient.h"

#include <Poco/Buffer.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>

namespace maestro::test {

WsClient::WsClient(int port, const std::string& path, const std::string& origin)
    : session_(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1",
                                                              static_cast<Poco::UInt16>(port))) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (!origin.empty()) request.set("Origin", origin);
    Poco::Net::HTTPResponse response;
    socket_ = std::make_unique<Poco::Net::WebSocket>(*session_, request, response);
    socket_->setReceiveTimeout(Poco::Timespan(5, 0));
}

WsClient::~WsClient() {
    try {
        close();
    } catch (...) {
    }
}

void WsClient::send(const std::string& text) {
    socket_->sendFrame(text.data(), static_cast<int>(text.size()),
                       Poco::Net::WebSocket::FRAME_TEXT);
}

std::optional<Poco::JSON::Object::Ptr> WsClient::receive(std::chrono::milliseconds timeout) {
    if (closeCode_) return std::nullopt;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::microseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        socket_->setReceiveTimeout(Poco::Timespan(left.count()));
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        int n = 0;
        try {
            n = socket_->receiveFrame(buffer, flags);
        } catch (const Poco::TimeoutException&) {
            return std::nullopt;
        } catch (const Poco::Exception&) {
            closeCode_ = 1006;
            return std::nullopt;
        }
        int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE || (n == 0 && flags == 0)) {
            closeCode_ = buffer.size() >= 2 ? (static_cast<unsigned char>(buffer[0]) << 8) |
                                                  static_cast<unsigned char>(buffer[1])
                                            : 1005;
            return std::nullopt;
        }
        if (opcode == Poco::Net::WebSocket::FRAME_OP_PING) {
            socket_->sendFrame(buffer.begin(), n,
                               static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN) |
                                   Poco::Net::WebSocket::FRAME_OP_PONG);
            continue;
        }
        if (opcode != Poco::Net::WebSocket::FRAME_OP_TEXT) continue;
        Poco::JSON::Parser parser;
        return parser.parse(std::string(buffer.begin(), buffer.size()))
            .extract<Poco::JSON::Object::Ptr>();
    }
}

std::optional<Poco::JSON::Object::Ptr>
WsClient::receiveUntil(const std::function<bool(const Poco::JSON::Object::Ptr&)>& predicate,
                       std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto message = receive(left);
        if (!message) return std::nullopt;
        if (predicate(*message)) return message;
    }
    return std::nullopt;
}

void WsClient::close() {
    if (!socket_) return;
    try {
        socket_->shutdown();
    } catch (...) {
    }
    socket_->close();
    socket_.reset();
}

} // namespace maestro::test
