#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace maestro::host::ws {

// RFC 6455 framing. The hub drives non-blocking sockets from one epoll loop, so it needs
// framing it can feed partial buffers to; Poco's WebSocket class is built for blocking,
// thread-per-connection use. Poco still parses the HTTP upgrade request.
enum class Opcode : std::uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Close codes the hub sends (1000–1011 from RFC 6455, 4xxx private to Maestro).
namespace close_code {
inline constexpr std::uint16_t kNormal = 1000;
inline constexpr std::uint16_t kGoingAway = 1001; // server shutting down
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kUnsupportedData = 1003;
inline constexpr std::uint16_t kInvalidPayload = 1007; // text that is not UTF-8
inline constexpr std::uint16_t kTooBig = 1009;
inline constexpr std::uint16_t kIdle = 4000; // no traffic, not even pongs
// The client read too slowly and its queue overflowed; reconnect and subscribe with since.
inline constexpr std::uint16_t kSlowConsumer = 4008;
} // namespace close_code

// One unfragmented, unmasked server frame.
std::string encodeFrame(Opcode opcode, std::string_view payload);
std::string encodeClose(std::uint16_t code, std::string_view reason);

struct Frame {
    bool fin = true;
    Opcode opcode = Opcode::Text;
    std::string payload; // unmasked
};

struct DecodeResult {
    enum class Status { Complete, NeedMore, Invalid } status = Status::NeedMore;
    Frame frame;
    std::size_t consumed = 0;    // bytes of the buffer this frame used (Complete only)
    std::uint16_t closeCode = 0; // why it is invalid (Invalid only)
    std::string error;
};

// Decodes the first frame of bytes received from a client. Client frames must be masked;
// payloads over maxPayload are refused (1009) before they are buffered.
DecodeResult decodeClientFrame(std::string_view buffer, std::size_t maxPayload);

// The Sec-WebSocket-Accept value for a Sec-WebSocket-Key.
std::string acceptKey(std::string_view clientKey);

} // namespace maestro::host::ws
