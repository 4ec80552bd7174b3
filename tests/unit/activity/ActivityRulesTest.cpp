// Judging what an agent does from its screen, its output's timing and its own word.
#include "activity/ActivityRules.h"

#include <gtest/gtest.h>

using namespace maestro::host::activity;
using maestro::domain::Activity;
using maestro::domain::ActivitySource;
using namespace std::chrono_literals;

namespace {

std::optional<std::string>
promptOn(const std::string& bytes, int lines = 1,
         std::vector<std::string> patterns = genericNeedsInputPatterns()) {
    Screen screen(10, 60);
    screen.feed(bytes);
    return PromptMatcher(patterns, lines).match(screen);
}

} // namespace

TEST(PromptMatcher, FindsGenericPromptsOnTheCursorsLine) {
    EXPECT_EQ(promptOn("Overwrite notes.txt? \033[1m(y/n)\033[0m "), "Overwrite notes.txt? (y/n)");
    EXPECT_EQ(promptOn("Do you want to continue? [Y/n] "), "Do you want to continue? [Y/n]");
    EXPECT_EQ(promptOn("Proceed (yes/no)? "), "Proceed (yes/no)?");
    EXPECT_EQ(promptOn("Press Enter to continue"), "Press Enter to continue");
    EXPECT_EQ(promptOn("[sudo] password for dev: "), "[sudo] password for dev:");
    EXPECT_FALSE(promptOn("Compiling (y/n handling in parser.c)\r\n"));
    EXPECT_FALSE(promptOn("all good\r\n$ "));
}

TEST(PromptMatcher, LooksOnlyAtTheRowsEndingAtTheCursor) {
    // Answered: the cursor moved on, so the question above no longer counts...
    EXPECT_FALSE(promptOn("Continue? (y/n) y\r\napproved\r\n"));
    // ...unless the profile looks at more rows, as for an agent drawing a dialog.
    auto dialog = "Bash command\r\n  rm -rf build\r\nDo you want to proceed?\r\n> 1. Yes\r\n"
                  "  2. No\r\n";
    EXPECT_FALSE(promptOn(dialog, 1));
    EXPECT_EQ(promptOn(dialog, 6), "Do you want to proceed?");
}

TEST(PromptMatcher, UsesTheProfilesPatternsAndRejectsBadOnes) {
    EXPECT_EQ(promptOn("Allow tool call? ", 1, {R"(^Allow .*\?)"}), "Allow tool call?");
    EXPECT_FALSE(promptOn("Continue? (y/n) ", 1, {}));
    EXPECT_THROW(PromptMatcher({"(unclosed"}, 1), std::runtime_error);
}

TEST(Decide, TrustsTheAgentsWordThenTheScreenThenTime) {
    ActivityRules rules;
    rules.idleAfter = 1000ms;
    rules.startTimeout = 5000ms;
    Observation seen;
    EXPECT_EQ(decide(seen, rules).activity, Activity::Starting);
    seen.sinceStart = 5000ms;
    auto stalled = decide(seen, rules);
    EXPECT_EQ(stalled.activity, Activity::Stalled);
    EXPECT_EQ(stalled.reason, "no output within 5 s");

    seen.anyOutput = true;
    seen.sinceSign = 999ms;
    EXPECT_EQ(decide(seen, rules).activity, Activity::Working);
    seen.sinceSign = 1500ms;
    auto idle = decide(seen, rules);
    EXPECT_EQ(idle.activity, Activity::Idle);
    EXPECT_EQ(idle.reason, "no output for 1 s");

    seen.prompt = "Continue? (y/n)";
    auto asking = decide(seen, rules);
    EXPECT_EQ(asking.activity, Activity::NeedsInput);
    EXPECT_EQ(asking.reason, "Continue? (y/n)");
    EXPECT_EQ(asking.source, ActivitySource::Screen);

    seen.held = maestro::domain::ActivityState{Activity::NeedsInput, 0, "Which DB?",
                                               ActivitySource::Report};
    auto held = decide(seen, rules);
    EXPECT_EQ(held.reason, "Which DB?");
    EXPECT_EQ(held.source, ActivitySource::Report);
}
