#include "ws/Hub.h"

#include "ws/Protocol.h"

#include <mutex>
#include <vector>

namespace maestro::host::ws {

struct Hub::Command {
    enum class Kind { Adopt, Event, Output, Refusal, Stop } kind;
    Poco::Net::StreamSocket socket;
    std::string bytes;
    domain::Event event;
    std::string sessionId;
    std::uint64_t offset = 0;
    std::optional<std::uint64_t> answersFrom;
};

// The transport and the protocol, and the inbox that carries commands from other threads to
// theirs.
class Hub::Loop {
public:
    Loop(service::EventLogService& log, const HubOptions& options)
        : transport_(options, protocol_, [this] { processInbox(); }),
          protocol_(transport_, log, options.replayPageSize) {}

    void post(Command command) {
        {
            std::lock_guard lock(inboxMutex_);
            inbox_.push_back(std::move(command));
            // The loop takes the whole inbox per wake-up: only the first command needs one.
            if (inbox_.size() > 1) return;
        }
        transport_.wake();
    }

    void run(std::int64_t lastSeq) {
        protocol_.startAfter(lastSeq);
        transport_.run();
    }

    Transport& transport() noexcept { return transport_; }
    Protocol& protocol() noexcept { return protocol_; }

private:
    void processInbox() {
        std::vector<Command> commands;
        {
            std::lock_guard lock(inboxMutex_);
            commands.swap(inbox_);
        }
        for (auto& command : commands) {
            switch (command.kind) {
            case Command::Kind::Adopt:
                transport_.adopt(command.socket, std::move(command.bytes));
                break;
            case Command::Kind::Event:
                protocol_.publish(command.event);
                break;
            case Command::Kind::Output:
                protocol_.publishOutput(command.sessionId, command.offset, command.bytes,
                                        command.answersFrom);
                break;
            case Command::Kind::Refusal:
                protocol_.refuseAttach(command.sessionId);
                break;
            case Command::Kind::Stop:
                transport_.stop();
                break;
            }
        }
    }

    // Each refers to the other: the transport reports to the protocol, the protocol answers
    // through the transport's Outbox. Neither calls the other before run().
    Transport transport_;
    Protocol protocol_;
    std::mutex inboxMutex_;
    std::vector<Command> inbox_;
};

Hub::Hub(service::EventLogService& log, HubOptions options)
    : log_(log), loop_(std::make_unique<Loop>(log, options)) {}

Hub::~Hub() {
    stop();
}

void Hub::start() {
    if (thread_.joinable()) return;
    auto lastSeq = log_.lastSeq();
    thread_ = std::thread([this, lastSeq] { loop_->run(lastSeq); });
}

void Hub::stop() {
    if (!thread_.joinable()) return;
    post({.kind = Command::Kind::Stop});
    thread_.join();
}

void Hub::post(Command command) {
    loop_->post(std::move(command));
}

void Hub::publish(const domain::Event& event) {
    post({.kind = Command::Kind::Event, .event = event});
}

void Hub::publishOutput(const std::string& sessionId, std::uint64_t offset, std::string data,
                        std::optional<std::uint64_t> answersFrom) {
    post({.kind = Command::Kind::Output,
          .bytes = std::move(data),
          .sessionId = sessionId,
          .offset = offset,
          .answersFrom = answersFrom});
}

void Hub::refuseAttach(const std::string& sessionId) {
    post({.kind = Command::Kind::Refusal, .sessionId = sessionId});
}

void Hub::adopt(Poco::Net::StreamSocket socket, std::string pendingBytes) {
    post({.kind = Command::Kind::Adopt, .socket = socket, .bytes = std::move(pendingBytes)});
}

void Hub::setTerminalBridge(TerminalBridge* bridge) {
    loop_->protocol().setTerminalBridge(bridge);
}

std::size_t Hub::connectionCount() const noexcept {
    return loop_->transport().connectionCount();
}

} // namespace maestro::host::ws
