#include "service/NodeService.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "json/Writer.h"
#include "store/NodeRepository.h"

#include <Poco/RandomStream.h>

namespace maestro::host::service {

namespace {

// A node silent this long is forgotten rather than listed as down.
constexpr std::int64_t kForgetAfterMs = 24 * 3600 * 1000;

// 256 random bits from the system's generator, as hex.
std::string randomSecret() {
    Poco::RandomInputStream random;
    std::string secret;
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        auto byte = static_cast<unsigned char>(random.get());
        secret += kHex[byte >> 4];
        secret += kHex[byte & 15];
    }
    return secret;
}

} // namespace

NodeService::NodeService(store::Database& db, Self self, std::chrono::milliseconds downAfter)
    : db_(db), self_(std::move(self)), downAfter_(downAfter) {}

void NodeService::countSessionsWith(SessionCounter counter) {
    std::lock_guard lock(counterMutex_);
    counter_ = std::move(counter);
}

std::int64_t NodeService::sessions() {
    std::lock_guard lock(counterMutex_);
    return counter_ ? counter_() : 0;
}

void NodeService::start() {
    startedAt_ = domain::nowMs();
    db_.write([&](store::Transaction& tx) {
        store::NodeRepository nodes(tx.connection());
        // One server owns an SQLite file: any other row is a previous run under another id.
        if (db_.backend() == store::Backend::Sqlite) nodes.removeAllBut(self_.id);
        nodes.removeSilentSince(startedAt_ - kForgetAfterMs);
        nodes.save({self_.id, self_.url, startedAt_, startedAt_, std::nullopt, sessions()});
        secret_ = nodes.clusterSecret(randomSecret());
    });
}

std::int64_t NodeService::downCutoff() const {
    return domain::nowMs() - downAfter_.count();
}

NodeService::Self NodeService::peer(const std::string& nodeId) {
    auto node =
        db_.read([&](store::Connection& c) { return store::NodeRepository(c).find(nodeId); });
    if (!node) throw domain::ApiError(404, "node_not_found", "No node '" + nodeId + "'");
    if (node->stoppedAt || node->heartbeatAt < downCutoff())
        throw domain::ApiError(503, "node_unavailable",
                               "Node " + nodeId + " is " + (node->stoppedAt ? "stopped" : "down"));
    return {node->id, node->url};
}

void NodeService::heartbeat() {
    auto now = domain::nowMs();
    auto count = sessions();
    db_.write([&](store::Transaction& tx) {
        store::NodeRepository nodes(tx.connection());
        if (!nodes.heartbeat(self_.id, now, count))
            nodes.save({self_.id, self_.url, startedAt_, now, std::nullopt, count});
    });
}

void NodeService::stop() {
    db_.write([&](store::Transaction& tx) {
        store::NodeRepository(tx.connection()).markStopped(self_.id, domain::nowMs());
    });
}

std::string NodeService::listJson() {
    auto nodes = db_.read([](store::Connection& c) { return store::NodeRepository(c).list(); });
    auto cutoff = downCutoff();
    json::Writer out(256 * (nodes.size() + 1));
    out.beginArray();
    for (const auto& node : nodes) {
        const char* status = node.stoppedAt ? "stopped" : node.heartbeatAt < cutoff ? "down" : "up";
        out.beginObject()
            .field("id", node.id)
            .field("url", node.url)
            .field("status", std::string_view{status})
            .field("self", node.id == self_.id)
            .field("startedAt", node.startedAt)
            .field("lastHeartbeat", node.heartbeatAt)
            .field("sessions", node.sessions)
            .endObject();
    }
    out.endArray();
    return out.take();
}

} // namespace maestro::host::service
