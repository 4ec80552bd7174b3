// maestro_bench_sessions: spawn latency, terminal streaming and re-attaching, against a running
// server whose config.json defines the agent profiles "hello" (prints one line and exits),
// "stream" (prints a lot, fast) and "echo" (says "ready", then answers each line it reads).
// Usage: maestro_bench_sessions MODE PORT TASK_ID [N]
//   spawn    N spawns (default 50) of "hello": the time from POST /api/sessions/spawn to the
//            first output byte over a WebSocket attach (an upper bound: the byte may exist
//            before we ask)
//   stream   N "stream" sessions at once (default 50), each watched by its own WebSocket
//            client: total bytes delivered, wall time, and a check that every stream arrived
//            whole and in order
//   prepare  N "echo" sessions (default 50), once each has said "ready": their ids on stdout
//   answer   the ids on stdin: attaches to each over one WebSocket and types a line into each;
//            the time until every session has answered
//   detect   N "prompter" sessions (default 20), one after another: once it says "ready", a line
//            is typed and it prints a coloured "(y/n)" prompt; the time from that prompt's
//            output reaching the client to session:activity needs_input reaching the same
//            WebSocket (and from the typed line, an upper bound that includes the agent)
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
#include <map>
#include <optional>
#include <set>
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
    void send(const std::string& message) {
        ws->sendFrame(message.data(), static_cast<int>(message.size()));
    }
    void attach(const std::string& session) {
        send(R"({"type":"session:attach","sessionId":")" + session + R"("})");
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

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int spawnLatency(Poco::UInt16 port, const std::string& task, int spawns) {
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
        firstByteMs.push_back(millisecondsSince(start));
    }
    std::sort(firstByteMs.begin(), firstByteMs.end());
    std::printf("spawn → first output byte: n=%d median=%.2fms p90=%.2fms max=%.2fms\n", spawns,
                median(firstByteMs), firstByteMs[firstByteMs.size() * 9 / 10], firstByteMs.back());
    return 0;
}

int streaming(Poco::UInt16 port, const std::string& task, int streams) {
    // Each client attaches right after its spawn; the scrollback covers what came first, and
    // each client must end with every byte.
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
    double seconds = millisecondsSince(start) / 1000;
    std::printf("%d sessions streaming to %d attached clients: %.1f MB in %.2fs = %.1f MB/s, %d "
                "broken streams\n",
                streams, streams, static_cast<double>(bytes) / 1e6, seconds,
                static_cast<double>(bytes) / 1e6 / seconds, broken.load());
    return broken ? 1 : 0;
}

int prepare(Poco::UInt16 port, const std::string& task, int sessions) {
    Terminal terminal(port);
    std::set<std::string> waiting;
    std::vector<std::string> ids;
    for (int i = 0; i < sessions; ++i) {
        ids.push_back(spawn(port, task, "echo"));
        waiting.insert(ids.back());
        terminal.attach(ids.back());
    }
    std::map<std::string, std::string> seen;
    while (!waiting.empty()) {
        auto message = terminal.next();
        if (message->getValue<std::string>("type") != "session:output") continue;
        auto id = message->getValue<std::string>("sessionId");
        seen[id] += message->getValue<std::string>("data");
        if (seen[id].find("ready") != std::string::npos) waiting.erase(id);
    }
    for (const auto& id : ids)
        std::printf("%s\n", id.c_str());
    return 0;
}

int answer(Poco::UInt16 port) {
    std::vector<std::string> ids;
    for (std::string id; std::getline(std::cin, id);)
        if (!id.empty()) ids.push_back(id);
    auto start = Clock::now();
    Terminal terminal(port);
    std::map<std::string, std::string> expected, seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        expected[ids[i]] = "got:again-" + std::to_string(i);
        terminal.attach(ids[i]);
        terminal.send(R"({"type":"session:input","sessionId":")" + ids[i] + R"(","data":"again-)" +
                      std::to_string(i) + R"(\r"})");
    }
    std::size_t answered = 0;
    while (answered < ids.size()) {
        auto message = terminal.next();
        if (message->getValue<std::string>("type") != "session:output") continue;
        auto id = message->getValue<std::string>("sessionId");
        auto before = seen[id].find(expected[id]) != std::string::npos;
        seen[id] += message->getValue<std::string>("data");
        if (!before && seen[id].find(expected[id]) != std::string::npos) ++answered;
    }
    std::printf("%zu re-attached sessions answered in %.1fms\n", ids.size(),
                millisecondsSince(start));
    return 0;
}

int detection(Poco::UInt16 port, const std::string& task, int sessions) {
    Terminal terminal(port);
    std::vector<double> fromPrompt, fromInput;
    for (int i = 0; i < sessions; ++i) {
        auto id = spawn(port, task, "prompter");
        terminal.attach(id);
        auto outputHas = [&id](const std::string& needle) {
            return [&id, needle](const Poco::JSON::Object::Ptr& m) {
                return m->getValue<std::string>("type") == "session:output" &&
                       m->getValue<std::string>("sessionId") == id &&
                       m->getValue<std::string>("data").find(needle) != std::string::npos;
            };
        };
        while (!outputHas("ready")(terminal.next())) {
        }
        auto typed = Clock::now();
        terminal.send(R"({"type":"session:input","sessionId":")" + id + R"(","data":"go\r"})");
        // The event may overtake the output: whichever comes first, the other is awaited.
        std::optional<Clock::time_point> prompt, detected;
        while (!prompt || !detected) {
            auto message = terminal.next();
            auto type = message->getValue<std::string>("type");
            if (!prompt && outputHas("(y/n)")(message)) prompt = Clock::now();
            if (!detected && type == "session:activity") {
                auto data = message->getObject("data");
                if (data->getValue<std::string>("sessionId") == id &&
                    data->getValue<std::string>("activity") == "needs_input")
                    detected = Clock::now();
            }
        }
        fromPrompt.push_back(
            std::chrono::duration<double, std::milli>(*detected - *prompt).count());
        fromInput.push_back(std::chrono::duration<double, std::milli>(*detected - typed).count());
    }
    std::sort(fromPrompt.begin(), fromPrompt.end());
    std::sort(fromInput.begin(), fromInput.end());
    std::printf("prompt output → session:activity needs_input: n=%d median=%.1fms p90=%.1fms "
                "max=%.1fms; typed line → needs_input median=%.1fms\n",
                sessions, median(fromPrompt), fromPrompt[fromPrompt.size() * 9 / 10],
                fromPrompt.back(), median(fromInput));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3 || (std::string(argv[1]) != "answer" && argc < 4)) {
        std::cerr << "usage: maestro_bench_sessions spawn|stream|prepare|detect PORT TASK_ID [N]\n"
                     "       maestro_bench_sessions answer PORT < ids\n";
        return 64;
    }
    std::string mode = argv[1];
    auto port = static_cast<Poco::UInt16>(std::stoi(argv[2]));
    int n = argc > 4 ? std::stoi(argv[4]) : 50;
    try {
        if (mode == "spawn") return spawnLatency(port, argv[3], n);
        if (mode == "stream") return streaming(port, argv[3], n);
        if (mode == "prepare") return prepare(port, argv[3], n);
        if (mode == "answer") return answer(port);
        if (mode == "detect") return detection(port, argv[3], argc > 4 ? n : 20);
    } catch (const std::exception& e) {
        std::cerr << "maestro_bench_sessions: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "unknown mode " << mode << "\n";
    return 64;
}
