// Parsing git's machine-readable output (-z: NUL-terminated records, raw paths).
#include "git/Porcelain.h"

#include <gtest/gtest.h>

using namespace maestro::host::git;
using namespace std::string_literals;

TEST(Porcelain, ParsesBranchHeadersAndEveryEntryKind) {
    auto text = "# branch.oid 438b21a0c9f0054b53a4e2ec90b1807803e36d0a\0"
                "# branch.head maestro/t-1\0"
                "# branch.upstream main\0"
                "# branch.ab +2 -5\0"
                "1 .M N... 100644 100644 100644 de98 de98 f.txt\0"
                "1 D. N... 100644 000000 000000 587b 0000 dir/with space\0"
                "2 R. N... 100644 100644 100644 aaaa aaaa R100 new name\0old name\0"
                "u UU N... 100644 100644 100644 100644 a1 a2 a3 both.c\0"
                "? un tracked é.txt\0"
                "! ignored.o\0"s;
    auto status = parseStatus(text);
    EXPECT_EQ(status.head, "438b21a0c9f0054b53a4e2ec90b1807803e36d0a");
    EXPECT_EQ(status.branch, "maestro/t-1");
    EXPECT_EQ(status.upstream, "main");
    EXPECT_EQ(status.ahead, 2);
    EXPECT_EQ(status.behind, 5);
    ASSERT_EQ(status.entries.size(), 5u);
    EXPECT_EQ(status.entries[0].path, "f.txt");
    EXPECT_EQ(status.entries[0].worktree, 'M');
    EXPECT_EQ(status.entries[1].path, "dir/with space");
    EXPECT_EQ(status.entries[1].index, 'D');
    EXPECT_EQ(status.entries[2].path, "new name");
    EXPECT_TRUE(status.entries[3].conflicted);
    EXPECT_EQ(status.entries[3].path, "both.c");
    EXPECT_TRUE(status.entries[4].untracked);
    EXPECT_EQ(status.entries[4].path, "un tracked é.txt");
}

TEST(Porcelain, ReadsAnInitialDetachedStatusWithoutUpstream) {
    auto status = parseStatus("# branch.oid (initial)\0# branch.head (detached)\0"s);
    EXPECT_EQ(status.head, "");
    EXPECT_EQ(status.branch, "");
    EXPECT_FALSE(status.upstream);
    EXPECT_FALSE(status.ahead);
    EXPECT_TRUE(status.entries.empty());
}

TEST(Porcelain, RefusesMalformedStatus) {
    EXPECT_THROW(parseStatus("1 .M short\0"s), std::invalid_argument);
    EXPECT_THROW(parseStatus("# branch.ab 2 5\0"s), std::invalid_argument);
    EXPECT_THROW(parseStatus("x what\0"s), std::invalid_argument);
}

TEST(Porcelain, PairsRawRecordsWithTheirLineCounts) {
    auto text = ":100644 000000 587be6b 0000000 D\0d/y\0"
                ":100644 100644 de98044 0000000 M\0f\tab.txt\0"
                ":000000 100755 0000000 1234567 A\0bin/tool\0"
                "0\t1\td/y\0"
                "3\t0\tf\tab.txt\0"
                "-\t-\tbin/tool\0"s;
    auto entries = parseRawNumstat(text);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].status, 'D');
    EXPECT_EQ(entries[0].deletions, 1);
    EXPECT_EQ(entries[1].path, "f\tab.txt");
    EXPECT_EQ(entries[1].additions, 3);
    EXPECT_EQ(entries[2].status, 'A');
    EXPECT_EQ(entries[2].newMode, "100755");
    EXPECT_TRUE(entries[2].binary);
}

TEST(Porcelain, RefusesNumstatThatDoesNotMatchTheRawRecords) {
    EXPECT_THROW(parseRawNumstat(":100644 100644 a b M\0x\0"
                                 "1\t1\ty\0"s),
                 std::invalid_argument);
    EXPECT_THROW(parseRawNumstat(":100644 100644 a b M\0x\0"
                                 "one\t1\tx\0"s),
                 std::invalid_argument);
    EXPECT_TRUE(parseRawNumstat("").empty());
}

TEST(Porcelain, ReadsTheMergedTreeAndConflictingPathsOnce) {
    auto clean = parseMergeTree("606b5976bc4eba6d5d228ea613024355ca3128fd\0"s);
    EXPECT_EQ(clean.tree, "606b5976bc4eba6d5d228ea613024355ca3128fd");
    EXPECT_TRUE(clean.conflicts.empty());
    auto conflicted =
        parseMergeTree("606b5976bc4eba6d5d228ea613024355ca3128fd\0a.c\0a.c\0b c.h\0"s);
    EXPECT_EQ(conflicted.conflicts, (std::vector<std::string>{"a.c", "b c.h"}));
    EXPECT_THROW(parseMergeTree("short\0"s), std::invalid_argument);
}

TEST(Porcelain, ListsWorktreesWithTheirBranches) {
    auto list = parseWorktreeList("worktree /srv/repo.git\0bare\0\0"
                                  "worktree /tmp/w 1\0HEAD abc\0branch refs/heads/main\0\0"
                                  "worktree /tmp/w2\0HEAD def\0detached\0\0"s);
    ASSERT_EQ(list.size(), 3u);
    EXPECT_TRUE(list[0].bare);
    EXPECT_EQ(list[1].path, "/tmp/w 1");
    EXPECT_EQ(list[1].branch, "refs/heads/main");
    EXPECT_EQ(list[2].branch, "");
    EXPECT_EQ(list[2].head, "def");
}
