#include "spawn/OutputBuffer.h"

#include <gtest/gtest.h>

using maestro::host::spawn::OutputBuffer;

TEST(OutputBuffer, KeepsEverythingWhileUnderCapacity) {
    OutputBuffer buffer(16);
    buffer.append("hello ");
    buffer.append("world");
    EXPECT_EQ(buffer.start(), 0u);
    EXPECT_EQ(buffer.end(), 11u);
    EXPECT_EQ(buffer.since(0), "hello world");
    EXPECT_EQ(buffer.since(6), "world");
    EXPECT_EQ(buffer.since(99), "");
}

TEST(OutputBuffer, DropsTheOldestBytesAndKeepsOffsetsAbsolute) {
    OutputBuffer buffer(10);
    std::string all;
    for (int i = 0; i < 100; ++i) {
        std::string chunk = std::to_string(i) + ",";
        buffer.append(chunk);
        all += chunk;
    }
    EXPECT_EQ(buffer.end(), all.size());
    EXPECT_EQ(buffer.end() - buffer.start(), 10u);
    EXPECT_EQ(buffer.since(0), all.substr(all.size() - 10))
        << "asking for dropped bytes gives what is kept";
    EXPECT_EQ(buffer.since(all.size() - 3), all.substr(all.size() - 3));
}

TEST(OutputBuffer, HandlesOneAppendLargerThanCapacity) {
    OutputBuffer buffer(4);
    buffer.append("abcdefghij");
    EXPECT_EQ(buffer.start(), 6u);
    EXPECT_EQ(buffer.since(0), "ghij");
}
