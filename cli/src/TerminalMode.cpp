#include "TerminalMode.h"

#include "CliError.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace maestro::cli {

namespace {

// What the signal handlers use: plain globals, set before the handlers are installed.
int rawFd = -1;
struct termios savedMode;
int resizeWriteFd = -1;

constexpr int kRestoringSignals[] = {SIGINT, SIGTERM, SIGHUP};

void restoreAndRaise(int signal) {
    if (rawFd >= 0) ::tcsetattr(rawFd, TCSANOW, &savedMode);
    // Blocked while this handler runs: delivered, with its default action, once it returns.
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    ::sigemptyset(&fallback.sa_mask);
    ::sigaction(signal, &fallback, nullptr);
    ::raise(signal);
}

void noteResize(int) {
    const int saved = errno;
    const char byte = 1;
    // A full pipe already says "resized".
    [[maybe_unused]] auto n = ::write(resizeWriteFd, &byte, 1);
    errno = saved;
}

struct sigaction handlerAction(void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    ::sigemptyset(&action.sa_mask);
    // Interrupted reads and writes carry on; poll() still returns EINTR, so the loop sees the
    // signal at once.
    action.sa_flags = SA_RESTART;
    return action;
}

CliError systemError(const std::string& what) {
    return CliError::internal(what + ": " + std::strerror(errno));
}

} // namespace

RawTerminalMode::RawTerminalMode(int fd) {
    struct termios mode {};
    if (::tcgetattr(fd, &mode) != 0) throw systemError("cannot read the terminal's mode");
    savedMode = mode;
    rawFd = fd;
    const auto action = handlerAction(restoreAndRaise);
    for (std::size_t i = 0; i < std::size(kRestoringSignals); ++i)
        ::sigaction(kRestoringSignals[i], &action, &previous_[i]);
    ::cfmakeraw(&mode);
    if (::tcsetattr(fd, TCSANOW, &mode) != 0) {
        const auto error = systemError("cannot put the terminal in raw mode");
        restore();
        throw error;
    }
}

RawTerminalMode::~RawTerminalMode() {
    restore();
}

void RawTerminalMode::restore() noexcept {
    if (rawFd < 0) return;
    ::tcsetattr(rawFd, TCSANOW, &savedMode);
    for (std::size_t i = 0; i < std::size(kRestoringSignals); ++i)
        ::sigaction(kRestoringSignals[i], &previous_[i], nullptr);
    rawFd = -1;
}

WindowSizeSignal::WindowSizeSignal() {
    if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
        throw systemError("cannot watch the window size");
    resizeWriteFd = pipe_[1];
    const auto action = handlerAction(noteResize);
    ::sigaction(SIGWINCH, &action, &previous_);
}

WindowSizeSignal::~WindowSizeSignal() {
    ::sigaction(SIGWINCH, &previous_, nullptr);
    resizeWriteFd = -1;
    ::close(pipe_[0]);
    ::close(pipe_[1]);
}

void WindowSizeSignal::clear() noexcept {
    char buffer[64];
    while (::read(pipe_[0], buffer, sizeof buffer) > 0) {
    }
}

std::optional<WindowSize> windowSize(int fd) noexcept {
    struct winsize size {};
    if (::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0 || size.ws_row == 0)
        return std::nullopt;
    return WindowSize{size.ws_col, size.ws_row};
}

} // namespace maestro::cli
