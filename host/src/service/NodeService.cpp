#include "service/NodeService.h"

#include "domain/Clock.h"
#include "json/Writer.h"
#include "store/NodeRepository.h"

namespace maestro::host::service {

namespace {

// A node silent this long is forgotten rather than listed as down.
constexpr std::int64_t kForgetAfterMs = 24 * 3600 * 1000;

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
    });
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
    auto now = domain::nowMs();
    json::Writer out(256 * (nodes.size() + 1));
    out.beginArray();
    for (const auto& node : nodes) {
        const char* status = node.stoppedAt                                 ? "stopped"
                             : now - node.heartbeatAt >= downAfter_.count() ? "down"
                                                                            : "up";
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
