#pragma once

#include <optional>
#include <signal.h>

namespace maestro::cli {

// A terminal in raw mode for as long as this lives (`session attach` passes every key on as
// typed: no echo, no line editing, Ctrl-C is a byte, not a signal). The terminal's own mode comes
// back on every way out: destruction (a return, an exception), and SIGINT, SIGTERM and SIGHUP,
// whose handlers restore it and then let the signal take its default action. One at a time.
class RawTerminalMode {
public:
    // Throws CliError (internal) when `fd` is not a terminal whose mode can be set.
    explicit RawTerminalMode(int fd);
    ~RawTerminalMode();
    RawTerminalMode(const RawTerminalMode&) = delete;
    RawTerminalMode& operator=(const RawTerminalMode&) = delete;

private:
    void restore() noexcept;

    struct sigaction previous_[3];
};

// SIGWINCH as a descriptor to poll() beside others: readable once the window has changed size,
// until clear() is called. Restores the previous handler when destroyed. One at a time.
class WindowSizeSignal {
public:
    WindowSizeSignal();
    ~WindowSizeSignal();
    WindowSizeSignal(const WindowSizeSignal&) = delete;
    WindowSizeSignal& operator=(const WindowSizeSignal&) = delete;

    int fd() const noexcept { return pipe_[0]; }
    // Empties the pipe; call it when fd() is readable, then read the new size.
    void clear() noexcept;

private:
    int pipe_[2] = {-1, -1};
    struct sigaction previous_;
};

struct WindowSize {
    int cols = 0;
    int rows = 0;
};

// The size of the terminal on `fd` (TIOCGWINSZ); nullopt when it is not a terminal or reports
// no size (0x0, as a fresh pseudo-terminal does).
std::optional<WindowSize> windowSize(int fd) noexcept;

} // namespace maestro::cli
