#include "holder/Connection.h"

#include "holder/SessionFolder.h"

#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace maestro::holder {

namespace {

using Clock = std::chrono::steady_clock;

int millisecondsUntil(Clock::time_point deadline) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::max<long long>(left, 0));
}

} // namespace

Connection::Connection(int fd) : fd_(fd) {
    send(Type::Hello, helloPayload());
}

Connection::Connection(Connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), closed_(other.closed_), reader_(std::move(other.reader_)) {
}

Connection::~Connection() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<Connection> Connection::open(const std::filesystem::path& dir) {
    int fd = connectToHolder(dir);
    if (fd < 0) return std::nullopt;
    return Connection(fd);
}

bool Connection::send(Type type, std::string_view payload, std::chrono::milliseconds timeout) {
    if (closed_) return false;
    std::string frame;
    appendFrame(frame, type, payload);
    std::string_view rest = frame;
    auto deadline = Clock::now() + timeout;
    while (!rest.empty()) {
        auto n = ::send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            rest.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && Clock::now() < deadline) {
            pollfd pfd{fd_, POLLOUT, 0};
            ::poll(&pfd, 1, millisecondsUntil(deadline));
            continue;
        }
        closed_ = true; // a half-sent frame leaves nothing to continue
        return false;
    }
    return true;
}

std::optional<Frame> Connection::receive(std::chrono::milliseconds wait) {
    auto deadline = Clock::now() + wait;
    for (;;) {
        if (auto frame = reader_.next()) return frame;
        if (closed_) return std::nullopt;
        pollfd pfd{fd_, POLLIN, 0};
        int ready = ::poll(&pfd, 1, millisecondsUntil(deadline));
        if (ready < 0 && errno == EINTR) return std::nullopt; // a signal: let the caller look
        if (ready <= 0) return std::nullopt;
        char buffer[65536];
        auto n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n <= 0) {
            closed_ = true;
            continue; // frames already buffered still count
        }
        reader_.feed({buffer, static_cast<std::size_t>(n)});
    }
}

} // namespace maestro::holder
