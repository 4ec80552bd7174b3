// maestro_bench_fanout: how long one event takes to reach N connected WebSocket clients.
// Connects N clients, then repeatedly creates a task over HTTP and times, for every client,
// the moment the matching task:created event arrives (relative to sending the request). With
// POST_PORT the tasks are created on another server sharing the database (a cluster node), so
// the time includes the event's way from that node to this one.
// Usage: maestro_bench_fanout PORT PROJECT_ID [CLIENTS=500] [ROUNDS=50] [POST_PORT=PORT]
#include "bench_support.h"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/PollSet.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/StreamCopier.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using maestro::bench::percentile;

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: maestro_bench_fanout PORT PROJECT_ID [CLIENTS] [ROUNDS] [POST_PORT]\n";
        return 64;
    }
    auto port = static_cast<Poco::UInt16>(std::stoi(argv[1]));
    std::string project = argv[2];
    int clients = argc > 3 ? std::stoi(argv[3]) : 500;
    int rounds = argc > 4 ? std::stoi(argv[4]) : 50;
    auto postPort = argc > 5 ? static_cast<Poco::UInt16>(std::stoi(argv[5])) : port;

    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
    std::vector<std::unique_ptr<Poco::Net::WebSocket>> sockets;
    Poco::Net::PollSet poll;
    for (int i = 0; i < clients; ++i) {
        sessions.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ws",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        sockets.push_back(
            std::make_unique<Poco::Net::WebSocket>(*sessions.back(), request, response));
        sockets.back()->setReceiveTimeout(Poco::Timespan(10, 0));
        Poco::Buffer<char> hello(0);
        int flags = 0;
        sockets.back()->receiveFrame(hello, flags); // "connected"
        poll.add(*sockets.back(), Poco::Net::PollSet::POLL_READ);
    }

    Poco::Net::HTTPClientSession http("127.0.0.1", postPort);
    http.setKeepAlive(true);
    std::vector<double> latenciesMs, lastClientMs;
    for (int round = 0; round < rounds; ++round) {
        std::string marker = "fanout-" + std::to_string(round);
        std::string body = R"({"projectId":")" + project + R"(","title":")" + marker + R"("})";
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/api/tasks",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
        request.setKeepAlive(true);
        auto start = Clock::now();
        http.sendRequest(request) << body << std::flush; // the response is read after the events

        int received = 0;
        std::vector<bool> done(sockets.size(), false);
        double slowest = 0;
        auto deadline = start + std::chrono::seconds(10);
        while (received < clients && Clock::now() < deadline) {
            auto ready = poll.poll(Poco::Timespan(0, 100000));
            for (auto& [socket, mode] : ready) {
                auto it = std::find_if(sockets.begin(), sockets.end(),
                                       [&](const auto& s) { return s->impl() == socket.impl(); });
                auto index = static_cast<std::size_t>(it - sockets.begin());
                Poco::Buffer<char> frame(0);
                int flags = 0;
                (*it)->receiveFrame(frame, flags);
                std::string text(frame.begin(), frame.size());
                if (!done[index] && text.find(marker) != std::string::npos &&
                    text.find("task:created") != std::string::npos) {
                    done[index] = true;
                    ++received;
                    double ms =
                        std::chrono::duration<double, std::milli>(Clock::now() - start).count();
                    latenciesMs.push_back(ms);
                    slowest = std::max(slowest, ms);
                }
            }
        }
        Poco::Net::HTTPResponse response;
        auto& in = http.receiveResponse(response);
        std::ostringstream sink;
        Poco::StreamCopier::copyStream(in, sink);
        if (received < clients) {
            std::cerr << "round " << round << ": only " << received << " of " << clients
                      << " clients got the event\n";
            return 1;
        }
        lastClientMs.push_back(slowest);
    }
    std::printf("clients=%d rounds=%d deliveries=%zu p50=%.2fms p99=%.2fms max=%.2fms "
                "last-client-median=%.2fms\n",
                clients, rounds, latenciesMs.size(), percentile(latenciesMs, 0.5),
                percentile(latenciesMs, 0.99), percentile(latenciesMs, 1.0),
                percentile(lastClientMs, 0.5));
    return 0;
}
