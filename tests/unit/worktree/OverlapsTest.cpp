#include "worktree/Overlaps.h"

#include <gtest/gtest.h>

using namespace maestro::host::worktree;

TEST(Overlaps, NoSharedPathNoOverlap) {
    EXPECT_TRUE(findOverlaps({{"s1", {"t1"}, {"a.c"}}, {"s2", {"t2"}, {"b.c"}}}).empty());
    EXPECT_TRUE(findOverlaps({}).empty());
}

TEST(Overlaps, GroupsPathsBySessionsThatShareThem) {
    auto overlaps = findOverlaps({{"s2", {"t2"}, {"a.c", "b.c", "c.c"}},
                                  {"s1", {"t1"}, {"a.c", "b.c"}},
                                  {"s3", {"t3", "t1"}, {"c.c", "d.c"}}});
    ASSERT_EQ(overlaps.size(), 2u);
    EXPECT_EQ(overlaps[0].sessionIds, (std::vector<std::string>{"s1", "s2"}));
    EXPECT_EQ(overlaps[0].taskIds, (std::vector<std::string>{"t1", "t2"}));
    EXPECT_EQ(overlaps[0].paths, (std::vector<std::string>{"a.c", "b.c"}));
    EXPECT_EQ(overlaps[1].sessionIds, (std::vector<std::string>{"s2", "s3"}));
    EXPECT_EQ(overlaps[1].taskIds, (std::vector<std::string>{"t1", "t2", "t3"}));
    EXPECT_EQ(overlaps[1].paths, std::vector<std::string>{"c.c"});
}

TEST(Overlaps, APathOfThreeSessionsIsOneOverlapOfTheThree) {
    auto overlaps =
        findOverlaps({{"s1", {"t1"}, {"x"}}, {"s2", {"t2"}, {"x"}}, {"s3", {"t3"}, {"x"}}});
    ASSERT_EQ(overlaps.size(), 1u);
    EXPECT_EQ(overlaps[0].sessionIds, (std::vector<std::string>{"s1", "s2", "s3"}));
}

TEST(Overlaps, ChangesAreNewChangedAndEndedOverlaps) {
    Overlap ab{{"a", "b"}, {"t"}, {"x"}};
    Overlap abMore{{"a", "b"}, {"t"}, {"x", "y"}};
    Overlap bc{{"b", "c"}, {"t"}, {"z"}};
    EXPECT_TRUE(overlapChanges({ab}, {ab}).empty());
    EXPECT_EQ(overlapChanges({}, {ab}), std::vector<Overlap>{ab});
    EXPECT_EQ(overlapChanges({ab}, {abMore}), std::vector<Overlap>{abMore});
    auto ended = overlapChanges({ab, bc}, {bc});
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended[0].sessionIds, ab.sessionIds);
    EXPECT_TRUE(ended[0].paths.empty());
}
