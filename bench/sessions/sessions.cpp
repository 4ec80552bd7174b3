// maestro_bench_sessions: spawn latency and terminal streaming, against a running server whose
// config.json defines the agent profiles "hello" (prints one line and exits) and "stream"
// (prints a lot, fast).
// Usage: maestro_bench_sessions PORT TASK_ID [SPAWNS=50] [STREAMS=50]
//   spawn → first byte: POST /api/sessions/spawn, then session:attach over WebSocket; the time
//   until the first output byte arrives (an upper bound: the byte may exist before we ask).
//   streaming: STREAMS sessions spawned at once, each watched by its own WebSocket client;
//   total bytes delivered, wall time, and a check that every stream arrived whole and in order.
#include <Poco/Buffer.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/StreamCopier.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string spawn(Poco::UInt16 port, const std::string& task, const std::string& agent) {
    Poco::Net::HTTPClientSession http("127.0.0.1", port);
    std::string body = R"({"taskId":")" + task + R"(","agent":")" + agent + R"("})";
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/api/sessions/spawn",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    http.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::ostringstream out;
    Poco::StreamCopier::copyStream(http.receiveResponse(response), out);
    if (response.getStatus() != 201) throw std::runtime_error("spawn: " + out.str());
    return parse(out.str())->getValue<std::string>("sessionId");
}

struct Terminal {
    Poco::Net::HTTPClientSession http;
    std::unique_ptr<Poco::Net::WebSocket> ws;

    explicit Terminal(Poco::UInt16 port) : http("127.0.0.1", port) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ws",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        ws = std::make_unique<Poco::Net::WebSocket>(http, request, response);
        ws->setReceiveTimeout(Poco::Timespan(30, 0));
        next(); // "connected"
    }
    void attach(const std::string& session) {
        std::string message = R"({"type":"session:attach","sessionId":")" + session + R"("})";
        ws->sendFrame(message.data(), static_cast<int>(message.size()));
    }
    Poco::JSON::Object::Ptr next() {
        Poco::Buffer<char> frame(0);
        int flags = 0;
        ws->receiveFrame(frame, flags);
        return parse(std::string(frame.begin(), frame.size()));
    }
};

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: maestro_bench_sessions PORT TASK_ID [SPAWNS] [STREAMS]\n";
        return 64;
    }
    auto port = static_cast<Poco::UInt16>(std::stoi(argv[1]));
    std::string task = argv[2];
    int spawns = argc > 3 ? std::stoi(argv[3]) : 50;
    int streams = argc > 4 ? std::stoi(argv[4]) : 50;

    Terminal terminal(port);
    std::vector<double> firstByteMs;
    for (int i = 0; i < spawns; ++i) {
        auto start = Clock::now();
        auto id = spawn(port, task, "hello");
        terminal.attach(id);
        for (;;) {
            auto message = terminal.next();
            if (message->getValue<std::string>("type") == "session:output" &&
                message->getValue<std::string>("sessionId") == id &&
                !message->getValue<std::string>("data").empty())
                break;
        }
        firstByteMs.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(firstByteMs.begin(), firstByteMs.end());
    std::printf("spawn → first output byte: n=%d median=%.2fms p90=%.2fms max=%.2fms\n", spawns,
                median(firstByteMs), firstByteMs[firstByteMs.size() * 9 / 10], firstByteMs.back());

    // Streaming: every session attached by its own client before its output starts matters
    // little — scrollback covers what came first — but each client must end with every byte.
    std::atomic<long long> bytes{0};
    std::atomic<int> broken{0};
    auto start = Clock::now();
    std::vector<std::thread> clients;
    for (int i = 0; i < streams; ++i) {
        clients.emplace_back([&] {
            try {
                Terminal client(port);
                auto id = spawn(port, task, "stream");
                client.attach(id);
                std::int64_t expected = -1;
                for (;;) {
                    auto message = client.next();
                    auto type = message->getValue<std::string>("type");
                    if (type == "session:output" &&
                        message->getValue<std::string>("sessionId") == id) {
                        auto offset = message->getValue<std::int64_t>("offset");
                        auto size = static_cast<std::int64_t>(
                            message->getValue<std::string>("data").size());
                        if (expected >= 0 && offset != expected) ++broken;
                        expected = offset + size;
                        bytes += size;
                        if (message->getValue<std::string>("data").find("stream-end") !=
                            std::string::npos)
                            break;
                    }
                }
            } catch (const std::exception& e) {
                std::cerr << "stream: " << e.what() << "\n";
                ++broken;
            }
        });
    }
    for (auto& client : clients)
        client.join();
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%d sessions streaming to %d attached clients: %.1f MB in %.2fs = %.1f MB/s, %d "
                "broken streams\n",
                streams, streams, static_cast<double>(bytes) / 1e6, seconds,
                static_cast<double>(bytes) / 1e6 / seconds, broken.load());
    return broken ? 1 : 0;
}
