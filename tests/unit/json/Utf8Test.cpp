#include "json/Utf8.h"

#include <gtest/gtest.h>

using maestro::json::incompleteUtf8Tail;
using maestro::json::isValidUtf8;
using maestro::json::sanitizeUtf8;

TEST(Utf8, ValidatesAndSanitises) {
    EXPECT_TRUE(isValidUtf8("plain é € 😀"));
    EXPECT_FALSE(isValidUtf8("\xc0\xaf"));     // overlong
    EXPECT_FALSE(isValidUtf8("\xed\xa0\x80")); // surrogate
    EXPECT_FALSE(isValidUtf8("\xe2\x82"));     // cut short
    EXPECT_EQ(sanitizeUtf8("a\xff"
                           "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(sanitizeUtf8("ok é"), "ok é");
}

TEST(Utf8, FindsAnIncompleteTrailingSequence) {
    EXPECT_EQ(incompleteUtf8Tail("abc"), 0u);
    EXPECT_EQ(incompleteUtf8Tail("ab\xe2\x82"), 2u); // € cut after two of three bytes
    EXPECT_EQ(incompleteUtf8Tail("ab\xe2\x82\xac"), 0u);
    EXPECT_EQ(incompleteUtf8Tail("\xf0\x9f"), 2u);
    EXPECT_EQ(incompleteUtf8Tail("\xc3"), 1u);
}
