// maestro_bench_hold: holds connections open against the server the way an attacker (or a crowd
// of forgetful clients) would: IDLE connections that never send a byte, and SLOW "slowloris"
// connections that send one byte of a request head a second and never finish it. Prints
// "ready IDLE SLOW" once every connection is established, then keeps them until SECONDS pass
// (or it is terminated) and prints how many the server closed meanwhile.
// Usage: maestro_bench_hold PORT IDLE SLOW [SECONDS=3600]
#include "bench_support.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

volatile std::sig_atomic_t stopping = 0;

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: maestro_bench_hold PORT IDLE SLOW [SECONDS]\n";
        return 64;
    }
    int port = std::stoi(argv[1]);
    int idle = std::stoi(argv[2]);
    int slow = std::stoi(argv[3]);
    int seconds = argc > 4 ? std::stoi(argv[4]) : 3600;
    std::signal(SIGTERM, [](int) { stopping = 1; });
    std::signal(SIGINT, [](int) { stopping = 1; });
    std::signal(SIGPIPE, SIG_IGN);
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);

    int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    std::vector<int> held;
    for (int i = 0; i < idle + slow; ++i) {
        int fd = maestro::bench::connectLoopback(port);
        if (fd < 0) {
            std::cerr << "connection " << i << " failed: " << std::strerror(errno) << "\n";
            return 1;
        }
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.u32 = static_cast<std::uint32_t>(held.size());
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
        held.push_back(fd);
    }
    std::cout << "ready " << idle << " " << slow << std::endl;

    // A head that never ends: the request line, then one header value growing a byte a second.
    const std::string head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    std::vector<bool> closed(held.size(), false);
    int closedCount = 0;
    auto start = std::chrono::steady_clock::now();
    for (std::size_t tick = 0; !stopping; ++tick) {
        if (std::chrono::steady_clock::now() - start >= std::chrono::seconds(seconds)) break;
        char byte = tick < head.size() ? head[tick] : 'a';
        for (int i = idle; i < idle + slow; ++i) {
            auto index = static_cast<std::size_t>(i);
            if (!closed[index])
                ::send(held[index], &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT); // best effort
        }
        // Wait for the next second, noting connections the server closed meanwhile.
        auto next = start + std::chrono::seconds(tick + 1);
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                next - std::chrono::steady_clock::now());
            if (left.count() <= 0 || stopping) break;
            epoll_event events[256];
            int n = ::epoll_wait(epoll, events, 256, static_cast<int>(left.count()));
            for (int e = 0; e < n; ++e) {
                auto index = events[e].data.u32;
                char buffer[4096];
                if (::recv(held[index], buffer, sizeof buffer, MSG_DONTWAIT) > 0) continue;
                if (!closed[index]) ++closedCount;
                closed[index] = true;
                ::epoll_ctl(epoll, EPOLL_CTL_DEL, held[index], nullptr);
            }
        }
    }
    std::cout << "closed by the server: " << closedCount << " of " << held.size() << std::endl;
    for (int fd : held)
        ::close(fd);
    return 0;
}
