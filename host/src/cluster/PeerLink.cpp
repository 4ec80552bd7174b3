#include "cluster/PeerLink.h"

#include "cluster/PeerClient.h"
#include "json/Writer.h"

#include <Poco/Buffer.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/URI.h>
#include <algorithm>

namespace maestro::host::cluster {

namespace {

using Poco::Net::WebSocket;

constexpr auto kRetryAfter = std::chrono::milliseconds(500);
constexpr long kTimeoutUs = 2'000'000;
// How long a receive waits before looking whether the link is to stop.
constexpr long kReceiveSliceUs = 1'000'000;

Poco::Logger& logger() {
    return Poco::Logger::get("host.cluster");
}

std::string attachMessage(const std::string& sessionId, std::uint64_t from) {
    json::Writer out;
    out.beginObject()
        .field("type", "session:attach")
        .field("sessionId", sessionId)
        .field("offset", static_cast<std::int64_t>(from))
        .endObject();
    return out.take();
}

} // namespace

PeerLink::PeerLink(std::string nodeId, Routing& routing, std::string secret, ws::Hub& hub)
    : nodeId_(std::move(nodeId)), routing_(routing), secret_(std::move(secret)), hub_(hub) {
    thread_ = std::thread([this] { run(); });
}

PeerLink::~PeerLink() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (socket_) {
            try {
                socket_->shutdownReceive();
            } catch (const Poco::Exception&) {
            }
        }
    }
    wake_.notify_all();
    thread_.join();
}

void PeerLink::attach(const std::string& sessionId, std::uint64_t from) {
    std::lock_guard lock(mutex_);
    auto& follow = follows_[sessionId];
    // Never ask past what this link has passed on: a client here may still lack it.
    auto ask = from == 0 || follow.next == 0 ? from : std::min(from, follow.next);
    follow.asked.push_back(ask);
    if (socket_) sendLocked(attachMessage(sessionId, ask));
}

void PeerLink::detach(const std::string& sessionId) {
    std::lock_guard lock(mutex_);
    if (!follows_.erase(sessionId) || !socket_) return;
    json::Writer out;
    out.beginObject().field("type", "session:detach").field("sessionId", sessionId).endObject();
    sendLocked(out.take());
}

bool PeerLink::send(const std::string& message) {
    std::lock_guard lock(mutex_);
    if (!socket_) return false;
    sendLocked(message);
    return true;
}

void PeerLink::sendLocked(const std::string& message) {
    try {
        socket_->sendFrame(message.data(), static_cast<int>(message.size()), WebSocket::FRAME_TEXT);
    } catch (const Poco::Exception& e) {
        // The receiving thread sees the connection fail too, connects again and re-asks.
        logger().debug("node %s: send failed: %s", nodeId_, e.displayText());
    }
}

void PeerLink::run() {
    bool failing = false;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        try {
            connect(routing_.peer(nodeId_).url);
            if (failing) logger().information("node %s: terminal link up again", nodeId_);
            failing = false;
            receive();
        } catch (const std::exception& e) {
            if (!failing)
                logger().warning("node %s: terminal link down: %s", nodeId_, std::string{e.what()});
            failing = true;
        }
        refuseWaiting();
        std::unique_lock lock(mutex_);
        socket_.reset();
        session_.reset();
        wake_.wait_for(lock, kRetryAfter, [this] { return stopping_; });
    }
}

void PeerLink::refuseWaiting() {
    std::vector<std::string> refused;
    {
        std::lock_guard lock(mutex_);
        for (auto& [sessionId, follow] : follows_)
            if (!follow.asked.empty()) {
                follow.asked.clear();
                refused.push_back(sessionId);
            }
    }
    for (const auto& sessionId : refused)
        hub_.refuseAttach(sessionId);
}

void PeerLink::connect(const std::string& url) {
    Poco::URI uri(url);
    auto session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    session->setTimeout(Poco::Timespan(kTimeoutUs));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set(kClusterSecretHeader, secret_);
    Poco::Net::HTTPResponse response;
    auto socket = std::make_unique<WebSocket>(*session, request, response);
    socket->setReceiveTimeout(Poco::Timespan(kReceiveSliceUs));
    socket->setSendTimeout(Poco::Timespan(kTimeoutUs));

    std::lock_guard lock(mutex_);
    if (stopping_) return;
    session_ = std::move(session);
    socket_ = std::move(socket);
    // Ask again for what was asked and not answered, or go on from where the output stopped.
    for (auto& [sessionId, follow] : follows_) {
        if (follow.asked.empty()) follow.asked.push_back(follow.next);
        for (auto from : follow.asked)
            sendLocked(attachMessage(sessionId, from));
    }
}

void PeerLink::receive() {
    WebSocket* socket;
    {
        std::lock_guard lock(mutex_);
        socket = socket_.get();
    }
    if (!socket) return;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        int n = 0;
        try {
            n = socket->receiveFrame(buffer, flags);
        } catch (const Poco::TimeoutException&) {
            continue;
        }
        int opcode = flags & WebSocket::FRAME_OP_BITMASK;
        if (opcode == WebSocket::FRAME_OP_CLOSE || (n == 0 && flags == 0))
            throw Poco::IOException("closed by the other node");
        if (opcode == WebSocket::FRAME_OP_PING) {
            std::lock_guard lock(mutex_);
            socket->sendFrame(buffer.begin(), n,
                              static_cast<int>(WebSocket::FRAME_FLAG_FIN) |
                                  WebSocket::FRAME_OP_PONG);
            continue;
        }
        if (opcode == WebSocket::FRAME_OP_TEXT)
            onMessage(std::string(buffer.begin(), buffer.size()));
    }
}

void PeerLink::onMessage(const std::string& text) {
    Poco::JSON::Object::Ptr message;
    try {
        message = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
        return;
    }
    auto type = message->optValue<std::string>("type", "");
    auto sessionId = message->optValue<std::string>("sessionId", "");
    if (sessionId.empty()) return;
    if (type == "error") {
        // The other node has no terminal for it: the attach waiting longest is refused.
        {
            std::lock_guard lock(mutex_);
            auto it = follows_.find(sessionId);
            if (it == follows_.end() || it->second.asked.empty()) return;
            it->second.asked.pop_front();
        }
        hub_.refuseAttach(sessionId);
        return;
    }
    if (type != "session:output") return;
    auto offset = message->getValue<std::uint64_t>("offset");
    auto data = message->getValue<std::string>("data");
    std::optional<std::uint64_t> answersFrom;
    {
        std::lock_guard lock(mutex_);
        auto it = follows_.find(sessionId);
        if (it == follows_.end()) return; // released meanwhile
        auto& follow = it->second;
        if (message->optValue<bool>("scrollback", false) && !follow.asked.empty()) {
            answersFrom = follow.asked.front();
            follow.asked.pop_front();
        }
        follow.next = std::max(follow.next, offset + data.size());
    }
    hub_.publishOutput(sessionId, offset, std::move(data), answersFrom);
}

} // namespace maestro::host::cluster
