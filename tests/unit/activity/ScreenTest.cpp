// The screen a session's terminal shows, from the bytes a program writes (libvterm).
#include "activity/Screen.h"

#include <gtest/gtest.h>

using maestro::host::activity::Screen;

TEST(Screen, KeepsTextWithoutEscapeCodes) {
    Screen screen(5, 40);
    screen.feed("\033[1;33mAllow edit?\033[0m \033[36m(y/n)\033[0m ");
    EXPECT_EQ(screen.line(0), "Allow edit? (y/n)");
    auto text = screen.text();
    EXPECT_EQ(text.cursorRow, 0);
    EXPECT_EQ(text.cursorCol, 18);
    EXPECT_EQ(text.rows, 5);
    EXPECT_EQ(text.cols, 40);
}

TEST(Screen, PutsTextWhereCursorMovementSendsIt) {
    Screen screen(6, 20);
    screen.feed("first line\r\nsecond\033[1;7HXY\033[4;3Hfar\033[2;1H\033[K");
    EXPECT_EQ(screen.line(0), "first XYne");
    EXPECT_EQ(screen.line(1), "");
    EXPECT_EQ(screen.line(3), "  far");
    EXPECT_EQ(screen.cursorRow(), 1);
}

TEST(Screen, WrapsLongLinesAtTheTerminalWidth) {
    Screen screen(4, 10);
    screen.feed("abcdefghijklmnopqrstuvwxyz");
    EXPECT_EQ(screen.line(0), "abcdefghij");
    EXPECT_EQ(screen.line(1), "klmnopqrst");
    EXPECT_EQ(screen.line(2), "uvwxyz");
}

TEST(Screen, ScrollsWhenOutputPassesTheLastRow) {
    Screen screen(3, 10);
    screen.feed("1\r\n2\r\n3\r\n4\r\n5");
    EXPECT_EQ(screen.line(0), "3");
    EXPECT_EQ(screen.line(2), "5");
}

TEST(Screen, ShowsTheAlternateScreenAndRestoresTheMainOne) {
    Screen screen(4, 20);
    screen.feed("shell prompt $ ");
    screen.feed("\033[?1049h\033[2J\033[Hfull screen app");
    EXPECT_EQ(screen.line(0), "full screen app");
    screen.feed("\033[?1049l");
    EXPECT_EQ(screen.line(0), "shell prompt $");
}

TEST(Screen, KeepsWideAndMultibyteCharactersWhole) {
    Screen screen(2, 20);
    // "naïve 漢字 ✓", the CJK characters two columns wide, fed split inside a character.
    std::string text = "na\xc3\xaf"
                       "ve \xe6\xbc\xa2\xe5\xad\x97 \xe2\x9c\x93";
    screen.feed(text.substr(0, 3));
    screen.feed(text.substr(3));
    EXPECT_EQ(screen.line(0), text);
    EXPECT_EQ(screen.text().cursorCol, 12);
}

TEST(Screen, ResizeChangesTheRowsAndColumnsShown) {
    Screen screen(4, 10);
    screen.resize(6, 30);
    screen.feed("abcdefghijklmnopqrstuvwxyz");
    EXPECT_EQ(screen.line(0), "abcdefghijklmnopqrstuvwxyz");
    EXPECT_EQ(screen.text().lines.size(), 6u);
    screen.resize(0, 5000); // clamped as the holder clamps: 1-1000
    EXPECT_EQ(screen.rows(), 1);
    EXPECT_EQ(screen.cols(), 1000);
}

TEST(Screen, IgnoresQueriesAndMalformedSequences) {
    Screen screen(3, 20);
    // A cursor-position query (answered by the real terminal, not here), an unfinished CSI,
    // invalid UTF-8 and an OSC title.
    screen.feed("\033[6n\033]0;title\007ok \xff\xfe end\033[");
    screen.feed("31mred");
    EXPECT_EQ(screen.line(0).substr(0, 3), "ok ");
    EXPECT_NE(screen.line(0).find("end"), std::string::npos);
    EXPECT_NE(screen.line(0).find("red"), std::string::npos);
}
