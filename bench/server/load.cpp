// maestro_bench_load: creates a project with N tasks and prints "PROJECT_ID TASK_ID" (the
// last task), so the benchmark script has something to read.
// Usage: maestro_bench_load PORT [TASKS=1000]
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <iostream>
#include <sstream>
#include <string>

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

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: maestro_bench_load PORT [TASKS]\n";
        return 64;
    }
    Poco::Net::HTTPClientSession http("127.0.0.1", static_cast<Poco::UInt16>(std::stoi(argv[1])));
    http.setKeepAlive(true);
    int tasks = argc > 2 ? std::stoi(argv[2]) : 1000;
    auto project = post(http, "/api/projects", R"({"name":"bench","workingDir":"/tmp"})");
    std::string task;
    for (int i = 0; i < tasks; ++i)
        task = post(
            http, "/api/tasks",
            R"({"projectId":")" + project + R"(","title":"Task )" + std::to_string(i) +
                R"(","description":"A task of a realistic size: a sentence or two describing what to do and why.","priority":"medium"})");
    std::cout << project << " " << task << std::endl;
    return 0;
}
