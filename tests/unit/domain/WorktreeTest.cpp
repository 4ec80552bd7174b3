#include "domain/Worktree.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using namespace maestro::domain;

TEST(Worktree, AcceptsBranchNamesGitAcceptsAndNoOption) {
    for (const char* good : {"main", "release/2.0", "feature/x_y-z", "v1.2.3"})
        EXPECT_TRUE(isValidBranchName(good)) << good;
    for (const char* bad :
         {"",     "-D",  "--all", "a..b", "a//b", "a/",    "a.",   "x.lock", ".hidden", "a/.b",
          "a/-b", "a b", "a~1",   "a^",   "a:b",  "a@{1}", "a\\b", "HEAD",   "a*",      "é"})
        EXPECT_FALSE(isValidBranchName(bad)) << bad;
    EXPECT_FALSE(isValidBranchName(std::string(201, 'a')));
}

TEST(Worktree, ReadsBackWhatItWrites) {
    Worktree worktree{
        "/h/worktrees/p/s", "maestro/x-1", "main", "abc", "/repo", WorktreeState::Merged, 4096,
        std::string("def")};
    maestro::json::Writer out;
    writeJson(out, worktree);
    auto object = Poco::JSON::Parser().parse(out.str()).extract<Poco::JSON::Object::Ptr>();
    auto back = worktreeFromJson(*object);
    EXPECT_EQ(back.path, worktree.path);
    EXPECT_EQ(back.branch, worktree.branch);
    EXPECT_EQ(back.base, worktree.base);
    EXPECT_EQ(back.baseCommit, worktree.baseCommit);
    EXPECT_EQ(back.repository, worktree.repository);
    EXPECT_EQ(back.state, WorktreeState::Merged);
    EXPECT_EQ(back.diskBytes, 4096);
    EXPECT_EQ(back.mergedCommit, "def");
}
