// maestro_bench_worktrees: what session worktrees cost, against a running server.
// Usage: maestro_bench_worktrees spawn PORT TASK_NONE TASK_WORKTREE ROUNDS
//   Spawn latency (POST /api/sessions/spawn until its answer) of a task whose project runs
//   sessions in place and of one whose project gives each a worktree, in paired rounds taking
//   turns; each worktree is discarded after its round. The agent ("hello") exits at once.
// Usage: maestro_bench_worktrees changes PORT SERVER_PID TASK SESSIONS ROUNDS
//   SESSIONS live sessions ("sleep") with worktrees; each round writes one tracked file and one
//   new file in every worktree and waits until every session's session:changes arrived. Per
//   round: the server's own CPU time (utime+stime of /proc/PID/stat), the CPU time of the git
//   processes it ran (cutime+cstime: children it reaped) and the wall time to the last
//   announcement. Then the same measure over an idle second, nothing written.
#include <Poco/Buffer.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/StreamCopier.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

Poco::JSON::Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string call(Poco::UInt16 port, const std::string& method, const std::string& path,
                 const std::string& body, int expected) {
    Poco::Net::HTTPClientSession http("127.0.0.1", port);
    http.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    http.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::ostringstream out;
    Poco::StreamCopier::copyStream(http.receiveResponse(response), out);
    if (static_cast<int>(response.getStatus()) != expected)
        throw std::runtime_error(method + " " + path + ": " + out.str());
    return out.str();
}

Poco::JSON::Object::Ptr spawn(Poco::UInt16 port, const std::string& task,
                              const std::string& agent) {
    auto answer = call(port, "POST", "/api/sessions/spawn",
                       R"({"taskId":")" + task + R"(","agent":")" + agent + R"("})", 201);
    return parse(answer)->getObject("session");
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

// CPU milliseconds of a process: its own, and its reaped children's.
struct Cpu {
    double self = 0, children = 0;
};
Cpu cpuOf(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::vector<std::string> f;
    for (std::string word; fields >> word;)
        f.push_back(word);
    // After the name: state(0) … utime(11) stime(12) cutime(13) cstime(14).
    double tick = 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
    return {(std::stod(f[11]) + std::stod(f[12])) * tick,
            (std::stod(f[13]) + std::stod(f[14])) * tick};
}

int runSpawn(Poco::UInt16 port, const std::string& none, const std::string& worktree, int rounds) {
    std::vector<double> plain, isolated, added;
    for (int round = 0; round < rounds; ++round) {
        double a = 0, b = 0;
        for (int turn = 0; turn < 2; ++turn) {
            bool withWorktree = (turn == 0) == (round % 2 == 1); // take turns going first
            auto started = Clock::now();
            auto session = spawn(port, withWorktree ? worktree : none, "hello");
            double took = ms(Clock::now() - started);
            (withWorktree ? b : a) = took;
            if (withWorktree)
                call(port, "POST",
                     "/api/sessions/" + session->getValue<std::string>("id") + "/discard",
                     R"({"force":true})", 200);
        }
        plain.push_back(a);
        isolated.push_back(b);
        added.push_back(b - a);
    }
    std::printf("spawn, median of %d paired rounds: in place %.2f ms, with worktree %.2f ms, "
                "added %.2f ms (min %.2f, max %.2f)\n",
                rounds, median(plain), median(isolated), median(added),
                *std::min_element(added.begin(), added.end()),
                *std::max_element(added.begin(), added.end()));
    return 0;
}

struct Events {
    Poco::Net::HTTPClientSession http;
    std::unique_ptr<Poco::Net::WebSocket> ws;
    explicit Events(Poco::UInt16 port) : http("127.0.0.1", port) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ws",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        ws = std::make_unique<Poco::Net::WebSocket>(http, request, response);
        ws->setReceiveTimeout(Poco::Timespan(60, 0));
        next();
        std::string subscribe = R"({"type":"subscribe"})";
        ws->sendFrame(subscribe.data(), static_cast<int>(subscribe.size()));
    }
    Poco::JSON::Object::Ptr next() {
        Poco::Buffer<char> frame(0);
        int flags = 0;
        ws->receiveFrame(frame, flags);
        return parse(std::string(frame.begin(), frame.size()));
    }
    // Waits for a session:changes of every session in `waiting`.
    void changesOf(std::set<std::string> waiting) {
        while (!waiting.empty()) {
            auto message = next();
            if (message->getValue<std::string>("type") != "session:changes") continue;
            waiting.erase(message->getObject("data")->getValue<std::string>("sessionId"));
        }
    }
};

int runChanges(Poco::UInt16 port, int serverPid, const std::string& task, int count, int rounds) {
    Events events(port);
    std::vector<std::pair<std::string, std::string>> sessions; // id, worktree path
    std::set<std::string> ids;
    for (int i = 0; i < count; ++i) {
        auto session = spawn(port, task, "sleep");
        auto id = session->getValue<std::string>("id");
        sessions.emplace_back(id, session->getObject("worktree")->getValue<std::string>("path"));
        ids.insert(id);
    }
    // Every worktree watched, nothing pending: wait for the first announcements and a quiet moment.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    std::vector<double> self, children, wall;
    for (int round = 0; round < rounds; ++round) {
        auto before = cpuOf(serverPid);
        auto started = Clock::now();
        for (const auto& [id, path] : sessions) {
            std::ofstream(path + "/src/module0/file0.txt", std::ios::app)
                << "round " << round << "\n";
            std::ofstream(path + "/new-" + std::to_string(round) + ".txt") << "new\n";
        }
        events.changesOf(ids);
        wall.push_back(ms(Clock::now() - started));
        // The last refresh's git processes are reaped before its announcement; let the
        // overlap update and disk measurement that may follow finish too.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        auto after = cpuOf(serverPid);
        self.push_back(after.self - before.self);
        children.push_back(after.children - before.children);
    }
    auto before = cpuOf(serverPid);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    auto after = cpuOf(serverPid);
    std::printf("change sets of %d live sessions, median of %d rounds: server CPU %.1f ms, git "
                "CPU %.1f ms, last announcement after %.1f ms; idle second: server %.1f ms, "
                "git %.1f ms\n",
                count, rounds, median(self), median(children), median(wall),
                after.self - before.self, after.children - before.children);
    for (const auto& [id, path] : sessions)
        call(port, "POST", "/api/sessions/" + id + "/discard", R"({"force":true})", 200);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        std::string mode = argc > 1 ? argv[1] : "";
        if (mode == "spawn" && argc == 6)
            return runSpawn(static_cast<Poco::UInt16>(std::stoi(argv[2])), argv[3], argv[4],
                            std::stoi(argv[5]));
        if (mode == "changes" && argc == 7)
            return runChanges(static_cast<Poco::UInt16>(std::stoi(argv[2])), std::stoi(argv[3]),
                              argv[4], std::stoi(argv[5]), std::stoi(argv[6]));
        std::cerr
            << "usage: maestro_bench_worktrees spawn PORT TASK_NONE TASK_WORKTREE ROUNDS\n"
               "       maestro_bench_worktrees changes PORT SERVER_PID TASK SESSIONS ROUNDS\n";
        return 64;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
