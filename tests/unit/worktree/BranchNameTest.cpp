#include "worktree/BranchName.h"

#include "domain/Worktree.h"

#include <gtest/gtest.h>

using namespace maestro::host::worktree;

TEST(BranchName, SlugsATaskTitle) {
    EXPECT_EQ(taskSlug("Add Stripe checkout!"), "add-stripe-checkout");
    EXPECT_EQ(taskSlug("  --Fix: the (parser) -- now  "), "fix-the-parser-now");
    EXPECT_EQ(taskSlug("Ünïcode only ✓"), "n-code-only");
    EXPECT_EQ(taskSlug("✓✓✓"), "task");
    EXPECT_EQ(taskSlug(""), "task");
    EXPECT_EQ(taskSlug(std::string(100, 'a')).size(), 40u);
    EXPECT_EQ(taskSlug("a very long title that goes on and on past the limit"),
              "a-very-long-title-that-goes-on-and-on-pa");
}

TEST(BranchName, NamesTheSessionBranchWithTheShortSessionId) {
    EXPECT_EQ(sessionBranch("Port the parser", "sess_1706790000000_k2j4n5l6m0"),
              "maestro/port-the-parser-j4n5l6m0");
    EXPECT_TRUE(maestro::domain::isValidBranchName(
        sessionBranch("../../etc; rm -rf / .lock", "sess_1_abcdefghij")));
}

TEST(BranchName, PicksTheFirstNameNotTaken) {
    EXPECT_EQ(uniqueBranch("maestro/x-1", {}), "maestro/x-1");
    EXPECT_EQ(uniqueBranch("maestro/x-1", {"maestro/x-1"}), "maestro/x-1-2");
    EXPECT_EQ(uniqueBranch("maestro/x-1", {"maestro/x-1", "maestro/x-1-2", "maestro/x-1-3"}),
              "maestro/x-1-4");
}
