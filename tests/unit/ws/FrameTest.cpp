#include "ws/Frame.h"

#include <gtest/gtest.h>

using namespace maestro::host::ws;

namespace {

// A masked client frame, as browsers send them.
std::string clientFrame(Opcode opcode, const std::string& payload, bool fin = true) {
    std::string frame;
    frame += static_cast<char>((fin ? 0x80 : 0) | static_cast<int>(opcode));
    const char mask[4] = {0x11, 0x22, 0x33, 0x44};
    if (payload.size() < 126) {
        frame += static_cast<char>(0x80 | payload.size());
    } else {
        frame += static_cast<char>(0x80 | 126);
        frame += static_cast<char>(payload.size() >> 8);
        frame += static_cast<char>(payload.size() & 0xFF);
    }
    frame.append(mask, 4);
    for (std::size_t i = 0; i < payload.size(); ++i)
        frame += static_cast<char>(payload[i] ^ mask[i % 4]);
    return frame;
}

} // namespace

TEST(Frame, AcceptKeyMatchesTheRfcExample) {
    EXPECT_EQ(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(Frame, EncodesEachLengthForm) {
    EXPECT_EQ(encodeFrame(Opcode::Text, std::string(125, 'a')).size(), 127u);
    auto medium = encodeFrame(Opcode::Text, std::string(126, 'a'));
    EXPECT_EQ(static_cast<unsigned char>(medium[1]), 126);
    EXPECT_EQ(medium.size(), 126u + 4);
    auto large = encodeFrame(Opcode::Binary, std::string(70000, 'a'));
    EXPECT_EQ(static_cast<unsigned char>(large[1]), 127);
    EXPECT_EQ(large.size(), 70000u + 10);
    EXPECT_EQ(static_cast<unsigned char>(large[0]), 0x82);
}

TEST(Frame, DecodesAMaskedFrameAndReportsBytesUsed) {
    auto bytes = clientFrame(Opcode::Text, "{\"type\":\"ping\"}") + "extra";
    auto result = decodeClientFrame(bytes, 1024);
    ASSERT_EQ(result.status, DecodeResult::Status::Complete);
    EXPECT_EQ(result.frame.payload, "{\"type\":\"ping\"}");
    EXPECT_EQ(result.consumed, bytes.size() - 5);
}

TEST(Frame, AsksForMoreWhenTheFrameIsIncomplete) {
    auto bytes = clientFrame(Opcode::Text, std::string(300, 'x'));
    for (std::size_t cut : {0u, 1u, 3u, 7u, 100u}) {
        EXPECT_EQ(decodeClientFrame(std::string_view(bytes).substr(0, cut), 1024).status,
                  DecodeResult::Status::NeedMore)
            << cut;
    }
}

TEST(Frame, RefusesUnmaskedOversizedAndBrokenControlFrames) {
    std::string unmasked = encodeFrame(Opcode::Text, "hi");
    EXPECT_EQ(decodeClientFrame(unmasked, 1024).closeCode, close_code::kProtocolError);
    auto big = clientFrame(Opcode::Text, std::string(2000, 'x'));
    EXPECT_EQ(decodeClientFrame(big, 1024).closeCode, close_code::kTooBig);
    auto fragmentedPing = clientFrame(Opcode::Ping, "p", false);
    EXPECT_EQ(decodeClientFrame(fragmentedPing, 1024).closeCode, close_code::kProtocolError);
}

TEST(Frame, CloseFrameCarriesCodeAndReason) {
    auto frame = encodeClose(close_code::kSlowConsumer, "slow");
    EXPECT_EQ(static_cast<unsigned char>(frame[0]), 0x88);
    EXPECT_EQ((static_cast<unsigned char>(frame[2]) << 8) | static_cast<unsigned char>(frame[3]),
              4008);
    EXPECT_EQ(frame.substr(4), "slow");
}
