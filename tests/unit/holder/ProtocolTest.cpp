// The holder's wire format and its files (holder/Protocol.h, holder/SessionFolder.h).
#include "holder/Protocol.h"

#include "TempDir.h"
#include "holder/SessionFolder.h"

#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace holder = maestro::holder;
using holder::Type;

TEST(HolderProtocol, FramesSurviveAnySplitOfTheStream) {
    std::string stream;
    holder::appendFrame(stream, Type::Hello, holder::helloPayload());
    holder::appendFrame(stream, Type::Input, std::string("k\0eys", 5));
    holder::appendFrame(stream, Type::Release);
    holder::FrameReader reader;
    std::vector<holder::Frame> frames;
    for (char byte : stream) { // one byte at a time: every cut there can be
        reader.feed(std::string_view(&byte, 1));
        while (auto frame = reader.next())
            frames.push_back(std::move(*frame));
    }
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[0].type, Type::Hello);
    EXPECT_EQ(holder::PayloadReader(frames[0].payload).u16(), holder::kProtocolVersion);
    EXPECT_EQ(frames[1].payload, std::string("k\0eys", 5));
    EXPECT_EQ(frames[2].type, Type::Release);
    EXPECT_TRUE(frames[2].payload.empty());
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(HolderProtocol, FramesWithoutATypeOrTooLargeAreRefused) {
    holder::FrameReader empty;
    empty.feed(std::string(4, '\0'));
    EXPECT_THROW(empty.next(), holder::ProtocolError);
    holder::FrameReader large;
    std::string length;
    for (auto size = static_cast<std::uint32_t>(holder::kMaxFrameBody + 1); length.size() < 4;
         size >>= 8)
        length.push_back(static_cast<char>(size & 0xff));
    large.feed(length);
    EXPECT_THROW(large.next(), holder::ProtocolError);
}

TEST(HolderProtocol, WelcomeAndStateRoundTripAndIgnoreFieldsAddedLater) {
    holder::Welcome welcome{1, 4321, 4322, 987654321, 1700000000123, 77};
    auto payload = holder::welcomePayload(welcome) + "a field from a later version";
    auto back = holder::parseWelcome(payload);
    EXPECT_EQ(back.version, 1);
    EXPECT_EQ(back.holderPid, 4321u);
    EXPECT_EQ(back.agentPid, 4322u);
    EXPECT_EQ(back.agentStartTicks, 987654321u);
    EXPECT_EQ(back.startedAtMs, 1700000000123);
    EXPECT_EQ(back.outputEnd, 77u);

    holder::State state{true, 1u << 20, 130, 2, true, 1700000000999};
    auto read = holder::parseState(holder::statePayload(state));
    EXPECT_TRUE(read.exited);
    EXPECT_EQ(read.outputEnd, 1u << 20);
    EXPECT_EQ(read.exitCode, 130);
    EXPECT_EQ(read.signal, 2);
    EXPECT_TRUE(read.stopRequested);
    EXPECT_EQ(read.endedAtMs, 1700000000999);
    EXPECT_EQ(holder::parseState(holder::statePayload({})).exitCode, -1);
}

TEST(HolderProtocol, AShortPayloadIsAnError) {
    EXPECT_THROW(holder::parseWelcome("\x01"), holder::ProtocolError);
    holder::PayloadReader in(holder::resizePayload(80, 24));
    EXPECT_EQ(in.u16(), 80);
    EXPECT_EQ(in.u16(), 24);
    EXPECT_TRUE(in.empty());
    EXPECT_THROW(in.u8(), holder::ProtocolError);
}

TEST(SessionFolder, HolderAndExitInfoRoundTripAndIncompleteFilesAreNone) {
    maestro::test::TempDir dir;
    int fd = ::open(dir.path().c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    EXPECT_FALSE(holder::readHolderInfo(dir.path()));
    holder::HolderInfo info{1, 100, 5000, 101, 5001, "boot-id", 1700000000000};
    ASSERT_TRUE(holder::writeHolderInfo(fd, info));
    auto read = holder::readHolderInfo(dir.path());
    ASSERT_TRUE(read);
    EXPECT_EQ(read->holderPid, 100);
    EXPECT_EQ(read->agentPid, 101);
    EXPECT_EQ(read->agentStartTicks, 5001u);
    EXPECT_EQ(read->bootId, "boot-id");
    EXPECT_EQ(read->startedAtMs, 1700000000000);

    ASSERT_TRUE(holder::writeExitInfo(fd, {3, 0, true, 1700000000500, 42}));
    auto exit = holder::readExitInfo(dir.path());
    ASSERT_TRUE(exit);
    EXPECT_EQ(exit->exitCode, 3);
    EXPECT_TRUE(exit->stopRequested);
    EXPECT_EQ(exit->endedAtMs, 1700000000500);
    EXPECT_EQ(exit->outputEnd, 42u);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "exit.info.tmp"));

    std::ofstream(dir.path() / "exit.info") << "exitCode=3\nsignal=zero\n";
    EXPECT_FALSE(holder::readExitInfo(dir.path())) << "a field that is not a number";
    ::close(fd);
}
