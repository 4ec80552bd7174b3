#include "holder/Protocol.h"

#include <cstring>

namespace maestro::holder {

namespace {

template <typename T> void put(std::string& out, T value) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff));
}

template <typename T> T get(std::string_view bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    return static_cast<T>(value);
}

} // namespace

void appendFrameHeader(std::string& out, Type type, std::size_t payloadSize) {
    put(out, static_cast<std::uint32_t>(payloadSize + 1));
    out.push_back(static_cast<char>(type));
}

void appendFrame(std::string& out, Type type, std::string_view payload) {
    appendFrameHeader(out, type, payload.size());
    out.append(payload);
}

std::string helloPayload(std::uint16_t version) {
    std::string out;
    put(out, version);
    return out;
}

std::string offsetPayload(std::uint64_t offset) {
    std::string out;
    put(out, offset);
    return out;
}

std::string resizePayload(int cols, int rows) {
    std::string out;
    put(out, static_cast<std::uint16_t>(cols));
    put(out, static_cast<std::uint16_t>(rows));
    return out;
}

std::string signalPayload(int signal) {
    std::string out;
    put(out, static_cast<std::uint8_t>(signal));
    return out;
}

std::string stopPayload(std::uint32_t graceMs) {
    std::string out;
    put(out, graceMs);
    return out;
}

std::string welcomePayload(const Welcome& welcome) {
    std::string out;
    put(out, welcome.version);
    put(out, welcome.holderPid);
    put(out, welcome.agentPid);
    put(out, welcome.agentStartTicks);
    put(out, welcome.startedAtMs);
    put(out, welcome.outputEnd);
    return out;
}

std::string statePayload(const State& state) {
    std::string out;
    put(out, static_cast<std::uint8_t>(state.exited ? 1 : 0));
    put(out, state.outputEnd);
    put(out, state.exitCode);
    put(out, state.signal);
    put(out, static_cast<std::uint8_t>(state.stopRequested ? 1 : 0));
    put(out, state.endedAtMs);
    return out;
}

std::string errorPayload(Type request, std::string_view message) {
    std::string out;
    put(out, static_cast<std::uint8_t>(request));
    out.append(message);
    return out;
}

std::string_view PayloadReader::take(std::size_t n) {
    if (rest_.size() < n) throw ProtocolError("payload too short");
    auto bytes = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return bytes;
}

std::uint8_t PayloadReader::u8() {
    return get<std::uint8_t>(take(1));
}
std::uint16_t PayloadReader::u16() {
    return get<std::uint16_t>(take(2));
}
std::uint32_t PayloadReader::u32() {
    return get<std::uint32_t>(take(4));
}
std::uint64_t PayloadReader::u64() {
    return get<std::uint64_t>(take(8));
}

Welcome parseWelcome(std::string_view payload) {
    PayloadReader in(payload);
    Welcome welcome;
    welcome.version = in.u16();
    welcome.holderPid = in.u32();
    welcome.agentPid = in.u32();
    welcome.agentStartTicks = in.u64();
    welcome.startedAtMs = in.i64();
    welcome.outputEnd = in.u64();
    return welcome;
}

State parseState(std::string_view payload) {
    PayloadReader in(payload);
    State state;
    state.exited = in.u8() != 0;
    state.outputEnd = in.u64();
    state.exitCode = static_cast<std::int32_t>(in.u32());
    state.signal = in.u8();
    state.stopRequested = in.u8() != 0;
    state.endedAtMs = in.i64();
    return state;
}

std::optional<Frame> FrameReader::next() {
    std::string_view pending(buffer_.data() + consumed_, buffer_.size() - consumed_);
    if (pending.size() < 4) return std::nullopt;
    auto length = get<std::uint32_t>(pending);
    if (length == 0) throw ProtocolError("frame without a type");
    if (length > kMaxFrameBody) throw ProtocolError("frame too large");
    if (pending.size() < 4 + std::size_t{length}) {
        // Compact only when the dead prefix is large: amortised O(1) per byte.
        if (consumed_ > 0 && consumed_ >= buffer_.size() / 2) {
            buffer_.erase(0, consumed_);
            consumed_ = 0;
        }
        return std::nullopt;
    }
    Frame frame{static_cast<Type>(static_cast<unsigned char>(pending[4])),
                std::string(pending.substr(5, length - 1))};
    consumed_ += 4 + std::size_t{length};
    if (consumed_ == buffer_.size()) {
        buffer_.clear();
        consumed_ = 0;
    }
    return frame;
}

} // namespace maestro::holder
