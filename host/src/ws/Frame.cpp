#include "ws/Frame.h"

#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>
#include <sstream>

namespace maestro::host::ws {

std::string encodeFrame(Opcode opcode, std::string_view payload) {
    std::string frame;
    frame.reserve(payload.size() + 10);
    frame += static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode));
    std::uint64_t n = payload.size();
    if (n < 126) {
        frame += static_cast<char>(n);
    } else if (n <= 0xFFFF) {
        frame += static_cast<char>(126);
        frame += static_cast<char>((n >> 8) & 0xFF);
        frame += static_cast<char>(n & 0xFF);
    } else {
        frame += static_cast<char>(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            frame += static_cast<char>((n >> shift) & 0xFF);
    }
    frame += payload;
    return frame;
}

std::string encodeClose(std::uint16_t code, std::string_view reason) {
    std::string payload;
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xFF);
    payload += reason.substr(0, 123); // control frame payloads are at most 125 bytes
    return encodeFrame(Opcode::Close, payload);
}

DecodeResult decodeClientFrame(std::string_view buffer, std::size_t maxPayload) {
    DecodeResult result;
    auto invalid = [&result](std::uint16_t code, std::string why) {
        result.status = DecodeResult::Status::Invalid;
        result.closeCode = code;
        result.error = std::move(why);
        return result;
    };
    if (buffer.size() < 2) return result;
    auto byte = [&buffer](std::size_t i) { return static_cast<std::uint8_t>(buffer[i]); };

    std::uint8_t b0 = byte(0), b1 = byte(1);
    if (b0 & 0x70) return invalid(close_code::kProtocolError, "reserved bits set");
    auto opcode = static_cast<Opcode>(b0 & 0x0F);
    switch (opcode) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong:
        break;
    default:
        return invalid(close_code::kProtocolError, "unknown opcode");
    }
    bool fin = b0 & 0x80;
    bool control = static_cast<std::uint8_t>(opcode) & 0x8;
    if (!(b1 & 0x80)) return invalid(close_code::kProtocolError, "client frames must be masked");

    std::size_t header = 2;
    std::uint64_t length = b1 & 0x7F;
    if (length == 126) {
        if (buffer.size() < 4) return result;
        length = (std::uint64_t{byte(2)} << 8) | byte(3);
        header = 4;
    } else if (length == 127) {
        if (buffer.size() < 10) return result;
        length = 0;
        for (int i = 2; i < 10; ++i)
            length = (length << 8) | byte(i);
        header = 10;
    }
    if (control && (length > 125 || !fin))
        return invalid(close_code::kProtocolError, "invalid control frame");
    if (length > maxPayload) return invalid(close_code::kTooBig, "message too big");

    std::size_t total = header + 4 + static_cast<std::size_t>(length);
    if (buffer.size() < total) return result;
    const char* mask = buffer.data() + header;
    const char* data = mask + 4;
    result.frame.payload.resize(static_cast<std::size_t>(length));
    for (std::size_t i = 0; i < length; ++i)
        result.frame.payload[i] = static_cast<char>(data[i] ^ mask[i & 3]);
    result.frame.fin = fin;
    result.frame.opcode = opcode;
    result.consumed = total;
    result.status = DecodeResult::Status::Complete;
    return result;
}

std::string acceptKey(std::string_view clientKey) {
    static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    Poco::SHA1Engine sha1;
    sha1.update(clientKey.data(), static_cast<unsigned>(clientKey.size()));
    sha1.update(kGuid.data(), static_cast<unsigned>(kGuid.size()));
    const auto& digest = sha1.digest();
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.write(reinterpret_cast<const char*>(digest.data()),
                  static_cast<std::streamsize>(digest.size()));
    encoder.close();
    return out.str();
}

} // namespace maestro::host::ws
