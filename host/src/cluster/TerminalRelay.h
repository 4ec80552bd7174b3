#pragma once

#include "cluster/Routing.h"
#include "ws/Hub.h"
#include "ws/TerminalBridge.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace maestro::host::cluster {

class PeerLink;

// The hub's terminals on every node: this node's own from its supervisor, and those of
// sessions on other nodes relayed. For each other node some client here follows, one
// WebSocket to that node's hub (with the cluster secret) carries session:attach, input and
// resize there and the output back, which is published to this node's hub with its byte
// offsets — so a client attached on any node gets the same scrollback and live output, in
// order, as on the session's own node.
//
// An attach to a relayed session answers later (Scrollback::relayed): the other node's
// scrollback arrives as the answer to that attach's offset.
class TerminalRelay : public ws::TerminalBridge {
public:
    // Relayed output goes to `hub`, whose bridge this is.
    TerminalRelay(ws::TerminalBridge& local, Routing& routing, std::string secret, ws::Hub& hub);
    // Closes the links to other nodes.
    ~TerminalRelay() override;
    TerminalRelay(const TerminalRelay&) = delete;
    TerminalRelay& operator=(const TerminalRelay&) = delete;

    std::optional<Scrollback> scrollback(const std::string& sessionId, std::uint64_t from) override;
    bool input(const std::string& sessionId, std::string_view data) override;
    bool resize(const std::string& sessionId, int cols, int rows) override;
    void release(const std::string& sessionId) override;

private:
    // The link to the node that runs the session, when that is another node that is up.
    PeerLink* linkFor(const std::string& sessionId);

    ws::TerminalBridge& local_;
    Routing& routing_;
    std::string secret_;
    ws::Hub& hub_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<PeerLink>> links_; // by node id
};

} // namespace maestro::host::cluster
