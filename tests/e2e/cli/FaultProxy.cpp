#include "FaultProxy.h"

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace maestro::test {

namespace {

void resetAndClose(int fd) {
    linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd);
}

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        auto n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

int connectTo(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

FaultProxy::FaultProxy(int targetPort) : targetPort_(targetPort) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error("proxy cannot listen");
    port_ = ntohs(address.sin_port);
    if (::pipe2(wakeup_, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    acceptor_ = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    stopping_ = true;
    (void)!::write(wakeup_[1], "x", 1);
    acceptor_.join();
    cutAll();
    for (auto& worker : workers_)
        worker.join();
    ::close(listener_);
    ::close(wakeup_[0]);
    ::close(wakeup_[1]);
}

void FaultProxy::cutAll() {
    std::lock_guard lock(mutex_);
    // shutdown wakes the relay threads, which then close with a reset.
    for (int fd : open_)
        ::shutdown(fd, SHUT_RDWR);
}

void FaultProxy::track(int fd, bool add) {
    std::lock_guard lock(mutex_);
    if (add)
        open_.insert(fd);
    else
        open_.erase(fd);
}

void FaultProxy::acceptLoop() {
    while (!stopping_) {
        pollfd fds[2] = {{listener_, POLLIN, 0}, {wakeup_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
        if (fds[1].revents) return;
        if (!(fds[0].revents & POLLIN)) continue;
        int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        const int number = ++connections_;
        Fault fault = Fault::None;
        if (faults_ && number % 3 == 0) {
            static constexpr Fault kRotation[] = {Fault::BeforeRequest, Fault::BeforeResponse,
                                                  Fault::MidResponse};
            fault = kRotation[(number / 3 - 1) % 3];
        }
        workers_.emplace_back([this, client, fault] { relay(client, fault); });
    }
}

void FaultProxy::relay(int client, Fault fault) {
    if (fault == Fault::BeforeRequest) {
        ++cuts_;
        resetAndClose(client);
        return;
    }
    int server = connectTo(targetPort_);
    if (server < 0) {
        resetAndClose(client);
        return;
    }
    track(client, true);
    track(server, true);
    bool cut = false;
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    char buffer[16384];
    while (!cut) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            auto n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0 || !writeAll(server, buffer, static_cast<std::size_t>(n))) break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            auto n = ::recv(server, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            std::size_t pass = static_cast<std::size_t>(n);
            if (fault == Fault::BeforeResponse) pass = 0;
            if (fault == Fault::MidResponse) pass = pass / 2;
            if (!writeAll(client, buffer, pass)) break;
            if (fault != Fault::None) {
                ++cuts_;
                cut = true;
            }
        }
    }
    track(client, false);
    track(server, false);
    resetAndClose(client);
    resetAndClose(server);
}

} // namespace maestro::test
