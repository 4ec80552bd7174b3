#include "activity/Screen.h"

#include "json/Utf8.h"

#include <algorithm>
#include <stdexcept>
#include <vterm.h>

namespace maestro::host::activity {

namespace {

// libvterm answers some queries (cursor position, device attributes) by writing to its
// output; the agent's real terminal answers those, so what libvterm says is dropped.
void discard(const char*, std::size_t, void*) {}

int clamp(int value) {
    return std::clamp(value, 1, 1000);
}

} // namespace

Screen::Screen(int rows, int cols)
    : vt_(vterm_new(clamp(rows), clamp(cols))), rows_(clamp(rows)), cols_(clamp(cols)) {
    if (!vt_) throw std::bad_alloc();
    vterm_set_utf8(vt_, 1);
    vterm_output_set_callback(vt_, discard, nullptr);
    screen_ = vterm_obtain_screen(vt_);
    vterm_screen_enable_altscreen(screen_, 1);
    vterm_screen_reset(screen_, 1);
}

Screen::~Screen() {
    vterm_free(vt_);
}

void Screen::feed(std::string_view bytes) {
    // libvterm decodes each write on its own: a character cut between two writes would become
    // two U+FFFD, so its start waits for the rest.
    pending_.append(bytes);
    auto whole = pending_.size() - json::incompleteUtf8Tail(pending_);
    if (whole > 0) vterm_input_write(vt_, pending_.data(), whole);
    pending_.erase(0, whole);
}

void Screen::resize(int rows, int cols) {
    rows_ = clamp(rows);
    cols_ = clamp(cols);
    vterm_set_size(vt_, rows_, cols_);
}

std::string Screen::line(int row) const {
    if (row < 0 || row >= rows_) return {};
    VTermRect rect{row, row + 1, 0, cols_};
    // A cell holds up to VTERM_MAX_CHARS_PER_CELL code points of up to 4 bytes each.
    std::string text(static_cast<std::size_t>(cols_) * VTERM_MAX_CHARS_PER_CELL * 4, '\0');
    auto n = vterm_screen_get_text(screen_, text.data(), text.size(), rect);
    text.resize(std::min(n, text.size()));
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n'))
        text.pop_back();
    return text;
}

int Screen::cursorRow() const {
    VTermPos pos{};
    vterm_state_get_cursorpos(vterm_obtain_state(vt_), &pos);
    return std::clamp(pos.row, 0, rows_ - 1);
}

ScreenText Screen::text() const {
    ScreenText out;
    out.rows = rows_;
    out.cols = cols_;
    VTermPos pos{};
    vterm_state_get_cursorpos(vterm_obtain_state(vt_), &pos);
    out.cursorRow = std::clamp(pos.row, 0, rows_ - 1);
    out.cursorCol = std::clamp(pos.col, 0, cols_ - 1);
    out.lines.reserve(static_cast<std::size_t>(rows_));
    for (int row = 0; row < rows_; ++row)
        out.lines.push_back(line(row));
    return out;
}

} // namespace maestro::host::activity
