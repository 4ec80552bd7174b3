// The monitor's screens: output is kept as it arrives and parsed when the screen is looked at.
#include "activity/ActivityMonitor.h"

#include <gtest/gtest.h>
#include <string>

using maestro::domain::ActivityState;
using maestro::host::activity::ActivityMonitor;
using maestro::host::activity::ActivityRules;

namespace {

ActivityMonitor quietMonitor() {
    return ActivityMonitor([](const std::string&, const ActivityState&) {});
}

} // namespace

TEST(ActivityMonitor, ScreenShowsTheEndOfOutputMuchLongerThanOneCatchUp) {
    auto monitor = quietMonitor();
    monitor.track("s", ActivityRules{}, 4, 20, ActivityState{});
    // ~1.2 MB in the relay's chunk sizes: far more than one look parses.
    std::string chunk;
    for (int i = 0; i < 100000; ++i) {
        chunk += "line " + std::to_string(i) + "\r\n";
        if (chunk.size() >= 4096 || i == 99999) {
            monitor.output("s", chunk);
            chunk.clear();
        }
    }
    auto screen = monitor.screen("s");
    ASSERT_TRUE(screen);
    ASSERT_EQ(screen->lines.size(), 4u);
    EXPECT_EQ(screen->lines[0], "line 99997");
    EXPECT_EQ(screen->lines[1], "line 99998");
    EXPECT_EQ(screen->lines[2], "line 99999");
    EXPECT_EQ(screen->lines[3], "");
    EXPECT_EQ(screen->cursorRow, 3);
}

TEST(ActivityMonitor, OutputBeforeAResizeIsLaidOutAtTheOldSize) {
    auto monitor = quietMonitor();
    monitor.track("s", ActivityRules{}, 4, 10, ActivityState{});
    monitor.output("s", "abcdefghijklmnopqrstuvwxyz");
    monitor.resize("s", 4, 40);
    monitor.output("s", "\r\nafter");
    auto screen = monitor.screen("s");
    ASSERT_TRUE(screen);
    EXPECT_EQ(screen->cols, 40);
    EXPECT_EQ(screen->lines[0], "abcdefghij");
    EXPECT_EQ(screen->lines[1], "klmnopqrst");
    EXPECT_EQ(screen->lines[2], "uvwxyz");
    EXPECT_EQ(screen->lines[3], "after");
}

TEST(ActivityMonitor, HasNoScreenForASessionItDoesNotWatch) {
    auto monitor = quietMonitor();
    monitor.track("s", ActivityRules{}, 4, 10, ActivityState{});
    monitor.forget("s");
    monitor.output("s", "ignored");
    EXPECT_FALSE(monitor.screen("s"));
    EXPECT_FALSE(monitor.screen("other"));
}
