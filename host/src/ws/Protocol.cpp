#include "ws/Protocol.h"

#include "domain/Clock.h"
#include "json/Utf8.h"
#include "json/Writer.h"
#include "ws/Frame.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <algorithm>

namespace maestro::host::ws {

namespace {

SharedFrame textFrame(std::string_view json) {
    return std::make_shared<const std::string>(encodeFrame(Opcode::Text, json));
}

// sessionId names the session an error is about, for clients with several terminals.
std::string errorMessage(std::string_view code, std::string_view message,
                         std::string_view sessionId = {}) {
    json::Writer out;
    out.beginObject().field("type", "error").field("code", code).field("message", message);
    if (!sessionId.empty()) out.field("sessionId", sessionId);
    out.endObject();
    return out.take();
}

std::string noTerminal(const std::string& sessionId) {
    return errorMessage("session_not_found", "no terminal for session " + sessionId, sessionId);
}

std::string outputMessage(const std::string& sessionId, std::string_view data, std::uint64_t offset,
                          bool scrollback = false) {
    json::Writer out(data.size() + 96);
    out.beginObject()
        .field("type", "session:output")
        .field("sessionId", sessionId)
        .field("offset", static_cast<std::int64_t>(offset))
        .field("data", json::sanitizeUtf8(data));
    if (scrollback) out.field("scrollback", true);
    out.endObject();
    return out.take();
}

std::string sessionIdOf(const Poco::JSON::Object& message) {
    if (!message.has("sessionId") || !message.get("sessionId").isString())
        throw Poco::InvalidArgumentException("sessionId is required");
    return message.getValue<std::string>("sessionId");
}

} // namespace

Protocol::Protocol(Outbox& outbox, service::EventLogService& log, std::int64_t replayPageSize)
    : outbox_(outbox), log_(log), replayPageSize_(replayPageSize) {}

void Protocol::setTerminalBridge(TerminalBridge* bridge) {
    std::lock_guard lock(bridgeMutex_);
    bridge_ = bridge;
}

void Protocol::sendText(ConnectionId id, std::string_view json) {
    outbox_.send(id, textFrame(json));
}

void Protocol::onOpen(ConnectionId id) {
    clients_[id].lastSeq = lastPublished_;
    json::Writer hello;
    hello.beginObject()
        .field("type", "connected")
        .field("lastSeq", lastPublished_)
        .field("timestamp", domain::nowMs())
        .endObject();
    sendText(id, hello.str());
}

void Protocol::onClosed(ConnectionId id) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    std::vector<std::string> followed;
    for (const auto& [sessionId, next] : it->second.attached)
        followed.push_back(sessionId);
    for (const auto& [sessionId, from] : it->second.awaiting)
        followed.push_back(sessionId);
    clients_.erase(it);
    for (const auto& sessionId : followed)
        releaseIfUnfollowed(sessionId);
}

void Protocol::releaseIfUnfollowed(const std::string& sessionId) {
    for (const auto& [id, client] : clients_)
        if (client.attached.count(sessionId) || client.awaiting.count(sessionId)) return;
    std::lock_guard lock(bridgeMutex_);
    if (bridge_) bridge_->release(sessionId);
}

void Protocol::publish(const domain::Event& event) {
    lastPublished_ = std::max(lastPublished_, event.seq);
    SharedFrame frame, stub; // framed once, for every client that wants it
    for (auto& [id, client] : clients_) {
        if (client.replaying || event.seq <= client.lastSeq) continue;
        client.lastSeq = event.seq;
        if (client.project && !event.projectId.empty() && event.projectId != *client.project)
            continue;
        if (!frame) frame = textFrame(domain::toWireJson(event));
        switch (outbox_.offer(id, frame)) {
        case Outbox::Offer::Queued:
            break;
        case Outbox::Offer::Full:
            // A client this far behind is closed (4008) by the transport; it resubscribes.
            outbox_.send(id, frame);
            break;
        case Outbox::Offer::TooBig:
            // Its stub, which the client resolves with a GET: an event larger than a client's
            // whole queue must not close it, and close it again on every resubscribe.
            if (!stub) stub = textFrame(domain::toStubJson(event));
            outbox_.send(id, stub);
            break;
        }
    }
}

void Protocol::publishOutput(const std::string& sessionId, std::uint64_t offset,
                             const std::string& data, std::optional<std::uint64_t> answersFrom) {
    SharedFrame whole;
    const std::uint64_t end = offset + data.size();
    for (auto& [id, client] : clients_) {
        if (answersFrom) {
            auto waiting = client.awaiting.find(sessionId);
            // The answer to this client's attach, or one that reaches back as far as it asked
            // (0 asks for the default: the last 1 MiB).
            if (waiting != client.awaiting.end() &&
                (waiting->second == 0
                     ? *answersFrom == 0
                     : offset <= waiting->second ||
                           (*answersFrom != 0 && *answersFrom <= waiting->second))) {
                auto start = std::clamp(waiting->second, offset, end);
                client.awaiting.erase(waiting);
                client.attached[sessionId] = end;
                sendText(id, outputMessage(sessionId, data.substr(start - offset), start, true));
                continue;
            }
        }
        auto it = client.attached.find(sessionId);
        if (it == client.attached.end() || end <= it->second) continue; // sent as scrollback
        if (offset >= it->second) {
            if (!whole) whole = textFrame(outputMessage(sessionId, data, offset));
            outbox_.send(id, whole);
        } else {
            auto skip = static_cast<std::size_t>(it->second - offset);
            sendText(id, outputMessage(sessionId, data.substr(skip), it->second));
        }
        it->second = end;
    }
}

void Protocol::refuseAttach(const std::string& sessionId) {
    for (auto& [id, client] : clients_)
        if (client.awaiting.erase(sessionId)) sendText(id, noTerminal(sessionId));
    releaseIfUnfollowed(sessionId);
}

void Protocol::onDrained(ConnectionId id) {
    auto it = clients_.find(id);
    if (it != clients_.end() && it->second.replaying) replayPage(id, it->second);
}

// Queues the next page of missed events, as much of it as the client's queue takes now, and
// asks to hear when it has been written unless the client is caught up. An event larger than
// the whole queue is sent as its stub.
void Protocol::replayPage(ConnectionId id, Client& client) {
    service::EventPage page;
    try {
        page = log_.page(client.lastSeq, replayPageSize_, client.project);
    } catch (const std::exception& e) {
        Poco::Logger::get("host.ws").error("replay failed: %s", std::string{e.what()});
        sendText(id, errorMessage("replay_failed", e.what()));
        client.replaying = false;
        return;
    }
    if (page.expired) return resync(id, client, page);
    for (const auto& event : page.events) {
        auto offered = outbox_.offer(id, textFrame(domain::toWireJson(event)));
        if (offered == Outbox::Offer::Full) return outbox_.notifyWhenDrained(id); // the rest later
        if (offered == Outbox::Offer::TooBig) sendText(id, domain::toStubJson(event));
        client.lastSeq = event.seq;
    }
    if (static_cast<std::int64_t>(page.events.size()) < replayPageSize_) {
        // Caught up. Every event published so far was committed before this read, so it is in
        // this page or an earlier one; later ones arrive live, after lastSeq.
        client.replaying = false;
    } else {
        outbox_.notifyWhenDrained(id);
    }
}

// The log no longer reaches back to the client's seq: it reloads its state instead, and gets
// live events from now on.
void Protocol::resync(ConnectionId id, Client& client, const service::EventPage& page) {
    client.replaying = false;
    json::Writer out;
    out.beginObject()
        .field("type", "resync_required")
        .field("since", client.lastSeq)
        .field("firstSeq", page.firstSeq)
        .field("lastSeq", lastPublished_)
        .endObject();
    client.lastSeq = lastPublished_;
    sendText(id, out.str());
}

void Protocol::onMessage(ConnectionId id, Opcode opcode, std::string payload) {
    auto found = clients_.find(id);
    if (found == clients_.end()) return;
    Client& client = found->second;
    if (opcode != Opcode::Text)
        return sendText(id, errorMessage("unsupported", "messages are JSON text"));
    Poco::JSON::Object::Ptr message;
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(16);
        auto parsed = parser.parse(payload);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
            message = parsed.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    if (!message || !message->has("type") || !message->get("type").isString())
        return sendText(id, errorMessage("invalid_message", "expected a JSON object with a type"));
    auto type = message->getValue<std::string>("type");
    try {
        if (type == "ping") return pong(id);
        if (type == "subscribe") return subscribe(id, client, *message);
        if (type == "session:attach") return attach(id, client, *message);
        if (type == "session:detach") {
            auto sessionId = sessionIdOf(*message);
            client.attached.erase(sessionId);
            client.awaiting.erase(sessionId);
            return releaseIfUnfollowed(sessionId);
        }
        if (type == "session:input") return input(id, *message);
        if (type == "session:resize") return resize(id, *message);
    } catch (const Poco::Exception& e) {
        return sendText(id, errorMessage("invalid_message", e.displayText()));
    }
    sendText(id, errorMessage("unknown_message", "unknown message type '" + type + "'"));
}

void Protocol::pong(ConnectionId id) {
    json::Writer out;
    out.beginObject().field("type", "pong").field("timestamp", domain::nowMs()).endObject();
    sendText(id, out.str());
}

void Protocol::subscribe(ConnectionId id, Client& client, const Poco::JSON::Object& message) {
    std::optional<std::int64_t> since;
    if (message.has("since") && !message.get("since").isEmpty()) {
        auto value = message.get("since");
        if (!value.isInteger() || value.convert<std::int64_t>() < 0)
            return sendText(
                id, errorMessage("invalid_message", "since must be a non-negative integer"));
        since = value.convert<std::int64_t>();
    }
    client.project.reset();
    if (message.has("projectId") && message.get("projectId").isString())
        client.project = message.getValue<std::string>("projectId");

    json::Writer reply;
    reply.beginObject()
        .field("type", "subscribed")
        .field("since", since)
        .field("projectId", client.project)
        .field("lastSeq", lastPublished_)
        .endObject();
    sendText(id, reply.str());
    client.replaying = since.has_value();
    client.lastSeq = since.value_or(lastPublished_);
    // The log is paged through once the reply is out.
    if (client.replaying) outbox_.notifyWhenDrained(id);
}

void Protocol::attach(ConnectionId id, Client& client, const Poco::JSON::Object& message) {
    auto sessionId = sessionIdOf(message);
    std::uint64_t from = 0; // a client that reconnects asks for what it has not seen
    if (message.has("offset") && !message.get("offset").isEmpty()) {
        auto value = message.get("offset");
        if (!value.isInteger() || value.convert<std::int64_t>() < 0)
            return sendText(
                id, errorMessage("invalid_message", "offset must be a non-negative integer"));
        from = value.convert<std::uint64_t>();
    }
    std::optional<TerminalBridge::Scrollback> scrollback;
    {
        std::lock_guard lock(bridgeMutex_);
        if (bridge_) scrollback = bridge_->scrollback(sessionId, from);
    }
    if (!scrollback) return sendText(id, noTerminal(sessionId));
    if (scrollback->relayed) {
        client.attached.erase(sessionId);
        client.awaiting[sessionId] = from;
        return;
    }
    client.awaiting.erase(sessionId);
    client.attached[sessionId] = scrollback->end;
    std::uint64_t start = scrollback->end - scrollback->data.size();
    sendText(id, outputMessage(sessionId, scrollback->data, start, true));
}

void Protocol::input(ConnectionId id, const Poco::JSON::Object& message) {
    auto sessionId = sessionIdOf(message);
    auto data = message.optValue<std::string>("data", "");
    std::lock_guard lock(bridgeMutex_);
    if (!bridge_ || !bridge_->input(sessionId, data)) sendText(id, noTerminal(sessionId));
}

void Protocol::resize(ConnectionId id, const Poco::JSON::Object& message) {
    auto sessionId = sessionIdOf(message);
    int cols = message.optValue<int>("cols", 0), rows = message.optValue<int>("rows", 0);
    if (cols <= 0 || rows <= 0 || cols > 1000 || rows > 1000)
        return sendText(id, errorMessage("invalid_message", "cols and rows must be 1-1000"));
    std::lock_guard lock(bridgeMutex_);
    if (!bridge_ || !bridge_->resize(sessionId, cols, rows)) sendText(id, noTerminal(sessionId));
}

} // namespace maestro::host::ws
