#pragma once

#include <string>
#include <string_view>
#include <vector>

struct VTerm;
struct VTermScreen;

namespace maestro::host::activity {

// What a terminal shows, as plain text: one string per row (UTF-8, trailing blanks dropped).
struct ScreenText {
    int rows = 0;
    int cols = 0;
    int cursorRow = 0;
    int cursorCol = 0;
    std::vector<std::string> lines;
};

// A session's terminal screen, kept by libvterm from the same bytes the terminal gets:
// cursor movement, erasing, scrolling regions, line wrapping and the alternate screen all land
// where a real terminal puts them. Not thread-safe: the owner serialises calls.
class Screen {
public:
    Screen(int rows, int cols);
    ~Screen();
    Screen(const Screen&) = delete;
    Screen& operator=(const Screen&) = delete;

    void feed(std::string_view bytes);
    // 1–1000 each, as the holder allows.
    void resize(int rows, int cols);

    int rows() const noexcept { return rows_; }
    int cols() const noexcept { return cols_; }
    // Row `row` (0-based) as text; "" outside the screen.
    std::string line(int row) const;
    int cursorRow() const;
    ScreenText text() const;

private:
    VTerm* vt_;
    VTermScreen* screen_;
    int rows_;
    int cols_;
    std::string pending_; // the start of a UTF-8 character whose rest has not arrived
};

} // namespace maestro::host::activity
