// maestro_bench_probe: a health probe. Sends GET /health every INTERVAL milliseconds on one
// keep-alive connection, COUNT times, and prints the latency percentiles — what a load
// balancer or a supervisor polling the server would see. A probe that gets no answer within
// 5 s counts as failed.
// Usage: maestro_bench_probe PORT [COUNT=1000] [INTERVAL_MS=10]
#include "bench_support.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using maestro::bench::percentile;

// Reads one whole response (head and Content-Length body); false on close or timeout.
bool readResponse(int fd, std::string& buffer) {
    auto deadline = Clock::now() + std::chrono::seconds(5);
    for (;;) {
        auto end = buffer.find("\r\n\r\n");
        if (end != std::string::npos) {
            auto at = buffer.find("Content-Length: ");
            std::size_t length = at < end ? std::stoul(buffer.substr(at + 16)) : 0;
            if (buffer.size() >= end + 4 + length) {
                buffer.erase(0, end + 4 + length);
                return true;
            }
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd pfd{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
        char chunk[4096];
        auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: maestro_bench_probe PORT [COUNT] [INTERVAL_MS]\n";
        return 64;
    }
    int port = std::stoi(argv[1]);
    int count = argc > 2 ? std::stoi(argv[2]) : 1000;
    auto interval = std::chrono::milliseconds(argc > 3 ? std::stoi(argv[3]) : 10);
    const std::string request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    int fd = maestro::bench::connectLoopback(port);
    std::string buffer;
    std::vector<double> latencies;
    int failed = 0;
    auto start = Clock::now();
    for (int i = 0; i < count; ++i) {
        std::this_thread::sleep_until(start + i * interval);
        if (fd < 0) fd = maestro::bench::connectLoopback(port);
        auto sent = Clock::now();
        if (fd < 0 || ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0 ||
            !readResponse(fd, buffer)) {
            ++failed;
            if (fd >= 0) ::close(fd);
            fd = -1;
            buffer.clear();
            continue;
        }
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    }
    if (latencies.empty()) {
        std::printf("probes=%d failed=%d\n", count, failed);
        return 1;
    }
    std::printf("probes=%d failed=%d p50=%.2fms p99=%.2fms max=%.2fms\n", count, failed,
                percentile(latencies, 0.5), percentile(latencies, 0.99),
                percentile(latencies, 1.0));
    return 0;
}
