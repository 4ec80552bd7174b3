// maestro_bench_load: creates a project with N tasks and prints "PROJECT_ID TASK_ID PARENT_ID"
// (the last task created, and the task the subtasks hang under), for the benchmark scripts.
// Plain: N top-level tasks, all todo. Mixed: a project as it grows in use — statuses in turn
// (todo, in_progress, blocked, completed), and every tenth task a subtask of the first one.
// Usage: maestro_bench_load PORT [TASKS=1000] [plain|mixed] [CONNECTIONS=4]
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <atomic>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string post(Poco::Net::HTTPClientSession& http, const std::string& path,
                 const std::string& body) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    request.setKeepAlive(true);
    http.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::ostringstream out;
    Poco::StreamCopier::copyStream(http.receiveResponse(response), out);
    if (response.getStatus() != 201) throw std::runtime_error(path + ": " + out.str());
    Poco::JSON::Parser parser;
    return parser.parse(out.str()).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("id");
}

std::string taskBody(const std::string& project, int i, bool mixed) {
    static const char* const kStatuses[] = {"todo", "in_progress", "blocked", "completed"};
    std::string body = R"({"projectId":")" + project + R"(","title":"Task )" + std::to_string(i) +
                       R"(","description":"A task of a realistic size: a sentence or two )"
                       R"(describing what to do and why.","priority":"medium")";
    if (mixed) {
        std::string status = kStatuses[i % 4];
        body += R"(,"status":")" + status + "\"";
        if (status == "blocked") body += R"(,"blockedReason":"waiting for a review")";
    }
    return body + "}";
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: maestro_bench_load PORT [TASKS] [plain|mixed] [CONNECTIONS]\n";
        return 64;
    }
    const auto port = static_cast<Poco::UInt16>(std::stoi(argv[1]));
    const int tasks = argc > 2 ? std::stoi(argv[2]) : 1000;
    const bool mixed = argc > 3 && std::string(argv[3]) == "mixed";
    const int connections = argc > 4 ? std::stoi(argv[4]) : 4;

    Poco::Net::HTTPClientSession http("127.0.0.1", port);
    http.setKeepAlive(true);
    auto project = post(http, "/api/projects", R"({"name":"bench","workingDir":"/tmp"})");
    auto parent = post(http, "/api/tasks", taskBody(project, 0, false));

    std::atomic<int> next{1};
    std::string last;
    std::vector<std::thread> workers;
    std::atomic<bool> failed{false};
    for (int c = 0; c < connections; ++c) {
        workers.emplace_back([&, c] {
            try {
                Poco::Net::HTTPClientSession session("127.0.0.1", port);
                session.setKeepAlive(true);
                for (int i = next++; i < tasks; i = next++) {
                    bool subtask = mixed && i % 10 == 0;
                    auto id = subtask ? post(session, "/api/tasks/" + parent + "/subtasks",
                                             R"({"title":"Subtask )" + std::to_string(i) + R"("})")
                                      : post(session, "/api/tasks", taskBody(project, i, mixed));
                    if (i == tasks - 1) last = id;
                }
            } catch (const std::exception& e) {
                std::cerr << "connection " << c << ": " << e.what() << "\n";
                failed = true;
            }
        });
    }
    for (auto& worker : workers)
        worker.join();
    if (failed) return 1;
    std::cout << project << " " << (last.empty() ? parent : last) << " " << parent << std::endl;
    return 0;
}
