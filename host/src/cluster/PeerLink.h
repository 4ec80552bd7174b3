#pragma once

#include "cluster/Routing.h"
#include "ws/Hub.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace Poco::Net {
class HTTPClientSession;
class WebSocket;
} // namespace Poco::Net

namespace maestro::host::cluster {

// One WebSocket from this node to another node's hub, on a thread of its own: it attaches
// there to the sessions some client here follows, and publishes their output to this node's
// hub with its offsets. It connects (with the cluster secret) to the node's advertised URL as the
// database has it now, and after a drop connects again and re-attaches from the last offset
// it received, so nothing is lost or repeated across the gap.
class PeerLink {
public:
    PeerLink(std::string nodeId, Routing& routing, std::string secret, ws::Hub& hub);
    ~PeerLink();
    PeerLink(const PeerLink&) = delete;
    PeerLink& operator=(const PeerLink&) = delete;

    // Asks for the session's output from `from` (0: the other node's default, the last
    // 1 MiB); the answer is published with answersFrom set to what was asked, which may be an
    // earlier offset than `from` when this link already follows the session. When the other
    // node cannot be reached, or has no terminal for the session, the attach is refused
    // (Hub::refuseAttach).
    void attach(const std::string& sessionId, std::uint64_t from);
    void detach(const std::string& sessionId);
    // Sends a message to the other node's hub (session:input, session:resize); false when not
    // connected.
    bool send(const std::string& message);

private:
    struct Follow {
        std::uint64_t next = 0;          // offset past the last byte received
        std::deque<std::uint64_t> asked; // attaches not yet answered, in the order sent
    };

    void run();
    void connect(const std::string& url);
    void receive();
    void onMessage(const std::string& text);
    void sendLocked(const std::string& message); // mutex_ held
    // Refuses every attach not yet answered: the other node cannot be reached.
    void refuseWaiting();

    std::string nodeId_;
    Routing& routing_;
    std::string secret_;
    ws::Hub& hub_;
    std::mutex mutex_; // guards follows_, socket_ (sending, replacing), stopping_
    std::condition_variable wake_;
    std::map<std::string, Follow> follows_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_; // set while connected
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace maestro::host::cluster
