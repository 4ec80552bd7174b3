#include "cluster/TerminalRelay.h"

#include "cluster/PeerLink.h"
#include "json/Writer.h"

namespace maestro::host::cluster {

TerminalRelay::TerminalRelay(ws::TerminalBridge& local, Routing& routing, std::string secret,
                             ws::Hub& hub)
    : local_(local), routing_(routing), secret_(std::move(secret)), hub_(hub) {}

TerminalRelay::~TerminalRelay() = default;

PeerLink* TerminalRelay::linkFor(const std::string& sessionId) {
    std::string node;
    try {
        node = routing_.nodeOf(sessionId);
    } catch (const std::exception&) {
        return nullptr; // no such session
    }
    if (node.empty() || node == routing_.self().id) return nullptr;
    std::lock_guard lock(mutex_);
    auto& link = links_[node];
    if (!link) link = std::make_unique<PeerLink>(node, routing_, secret_, hub_);
    return link.get();
}

std::optional<ws::TerminalBridge::Scrollback>
TerminalRelay::scrollback(const std::string& sessionId, std::uint64_t from) {
    if (auto own = local_.scrollback(sessionId, from)) return own;
    try {
        // A node that is down cannot answer: say so now rather than leave the client waiting.
        if (!routing_.sessionOwner(sessionId)) return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    auto* link = linkFor(sessionId);
    if (!link) return std::nullopt;
    link->attach(sessionId, from);
    Scrollback relayed;
    relayed.relayed = true;
    return relayed;
}

bool TerminalRelay::input(const std::string& sessionId, std::string_view data) {
    if (local_.input(sessionId, data)) return true;
    auto* link = linkFor(sessionId);
    if (!link) return false;
    json::Writer out(data.size() + 64);
    out.beginObject()
        .field("type", "session:input")
        .field("sessionId", sessionId)
        .field("data", data)
        .endObject();
    return link->send(out.take());
}

bool TerminalRelay::resize(const std::string& sessionId, int cols, int rows) {
    if (local_.resize(sessionId, cols, rows)) return true;
    auto* link = linkFor(sessionId);
    if (!link) return false;
    json::Writer out;
    out.beginObject()
        .field("type", "session:resize")
        .field("sessionId", sessionId)
        .field("cols", static_cast<std::int64_t>(cols))
        .field("rows", static_cast<std::int64_t>(rows))
        .endObject();
    return link->send(out.take());
}

void TerminalRelay::release(const std::string& sessionId) {
    local_.release(sessionId);
    std::string node;
    try {
        node = routing_.nodeOf(sessionId);
    } catch (const std::exception&) {
        return;
    }
    std::lock_guard lock(mutex_);
    if (auto it = links_.find(node); it != links_.end()) it->second->detach(sessionId);
}

} // namespace maestro::host::cluster
