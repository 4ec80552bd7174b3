#pragma once

// The session holder's wire protocol: what maestro-session speaks on its unix socket
// (sessions/<id>/holder.sock) with maestro-server and the maestro CLI. docs/sessions.md
// describes it for people; this file is the reference.
//
// A connection carries frames both ways. A frame is a 4-byte little-endian length, then that
// many bytes: one byte of message type and the payload. Numbers in payloads are little-endian.
// A reader ignores payload bytes past the fields it knows (later versions append fields), and
// a client ignores message types it does not know. The holder answers a request it does not
// know with Error, so a newer client can tell an older holder from a broken one.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace maestro::holder {

// 1: Hello/Welcome, Attach, Detach, Input, Resize, Signal, Stop, Status, Release; Output,
//    State, Error.
inline constexpr std::uint16_t kProtocolVersion = 1;

// The largest frame body (type and payload) either side accepts; a peer that sends a larger
// one is disconnected.
inline constexpr std::size_t kMaxFrameBody = 1u << 20;
// The most output one Output frame carries, and the most input one Input frame should.
inline constexpr std::size_t kMaxChunk = 64u << 10;

enum class Type : std::uint8_t {
    // client → holder
    Hello = 0x01,   // u16 version: the newest the client speaks
    Attach = 0x02,  // u64 offset: stream output from there (clamped to what exists)
    Detach = 0x03,  // stop streaming output
    Input = 0x04,   // bytes for the terminal
    Resize = 0x05,  // u16 cols, u16 rows
    Signal = 0x06,  // u8 signal: sent to the agent's process group
    Stop = 0x07,    // u32 grace ms: SIGTERM to the group, SIGKILL once the grace has passed
    Status = 0x08,  // asks for a State
    Release = 0x09, // the exit status is collected: the holder removes its socket and ends
    // holder → client
    Welcome = 0x81, // sent on accept, see Welcome
    Output = 0x82,  // u64 offset, then the bytes of output.log from that offset
    State = 0x83,   // see State
    Error = 0x84,   // u8 the request's type, then a message (UTF-8)
};

// The holder's greeting, sent before anything else on every connection.
struct Welcome {
    std::uint16_t version = kProtocolVersion; // the newest the holder speaks
    std::uint32_t holderPid = 0;
    std::uint32_t agentPid = 0;
    std::uint64_t agentStartTicks = 0; // /proc/<pid>/stat field 22: with the pid, the process
    std::int64_t startedAtMs = 0;      // when the agent started (Unix ms)
    std::uint64_t outputEnd = 0;       // output.log's size when the client connected
};

// The session's state. Sent in answer to Status, and once when the agent exits: to a client
// attached at that time after the last byte of its output, to other clients connected then at
// once, and to a client that attaches later once it has been sent everything.
struct State {
    bool exited = false;
    std::uint64_t outputEnd = 0;
    std::int32_t exitCode = -1; // the exit status, or 128 + signal; -1 while running
    std::uint8_t signal = 0;    // the signal that ended the agent, 0 if it exited by itself
    bool stopRequested = false; // ended after a Stop
    std::int64_t endedAtMs = 0; // Unix ms; 0 while running
};

// A payload that is too short for its type, or a frame that breaks the framing rules.
class ProtocolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Appends one frame to `out`.
void appendFrame(std::string& out, Type type, std::string_view payload = {});
// Appends only a frame's length and type; `payloadSize` bytes of payload must follow.
void appendFrameHeader(std::string& out, Type type, std::size_t payloadSize);

// Payload builders.
std::string helloPayload(std::uint16_t version = kProtocolVersion);
std::string offsetPayload(std::uint64_t offset); // Attach
std::string resizePayload(int cols, int rows);
std::string signalPayload(int signal);
std::string stopPayload(std::uint32_t graceMs);
std::string welcomePayload(const Welcome& welcome);
std::string statePayload(const State& state);
std::string errorPayload(Type request, std::string_view message);

// Reads the fields of a payload in order; throws ProtocolError when it runs short.
class PayloadReader {
public:
    explicit PayloadReader(std::string_view payload) : rest_(payload) {}
    std::uint8_t u8();
    std::uint16_t u16();
    std::uint32_t u32();
    std::uint64_t u64();
    std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
    std::string_view rest() noexcept { return std::exchange(rest_, {}); }
    bool empty() const noexcept { return rest_.empty(); }

private:
    std::string_view take(std::size_t n);
    std::string_view rest_;
};

Welcome parseWelcome(std::string_view payload);
State parseState(std::string_view payload);

struct Frame {
    Type type;
    std::string payload;
};

// Cuts a byte stream into frames. Feed it what the socket gave, then take frames until none
// is complete. Throws ProtocolError for a frame longer than kMaxFrameBody or without a type.
class FrameReader {
public:
    void feed(std::string_view bytes) { buffer_.append(bytes); }
    std::optional<Frame> next();
    std::size_t buffered() const noexcept { return buffer_.size() - consumed_; }

private:
    std::string buffer_;
    std::size_t consumed_ = 0;
};

} // namespace maestro::holder
