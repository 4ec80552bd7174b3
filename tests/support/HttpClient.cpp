#include "HttpClient.h"

#include "ContractLog.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <sstream>
#include <stdexcept>

namespace maestro::test {

Poco::JSON::Object::Ptr HttpResult::object() const {
    Poco::JSON::Parser parser;
    auto value = parser.parse(body);
    return value.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr HttpResult::array() const {
    Poco::JSON::Parser parser;
    auto value = parser.parse(body);
    return value.extract<Poco::JSON::Array::Ptr>();
}

std::string HttpResult::header(const std::string& name) const {
    auto it = headers.find(Poco::toLower(name));
    return it == headers.end() ? std::string{} : it->second;
}

HttpClient::HttpClient(std::string host, int port)
    : host_(std::move(host)), port_(port), session_(std::make_unique<Poco::Net::HTTPClientSession>(
                                               host_, static_cast<Poco::UInt16>(port))) {
    session_->setTimeout(Poco::Timespan(10, 0));
    session_->setKeepAlive(true);
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::string& body, const Headers& headers) {
    // One retry covers a keep-alive connection the server closed between requests.
    for (int attempt = 0;; ++attempt) {
        try {
            Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
            request.setHost(host_, static_cast<Poco::UInt16>(port_));
            request.setKeepAlive(true);
            for (const auto& [name, value] : headers)
                request.set(name, value);
            if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
                request.setContentType("application/json");
                request.setContentLength64(static_cast<Poco::Int64>(body.size()));
            }
            session_->sendRequest(request) << body;
            Poco::Net::HTTPResponse response;
            auto& in = session_->receiveResponse(response);
            HttpResult result;
            result.status = response.getStatus();
            result.reason = response.getReason();
            for (const auto& [name, value] : response)
                result.headers[Poco::toLower(name)] = value;
            std::ostringstream content;
            Poco::StreamCopier::copyStream(in, content);
            result.body = content.str();
            logExchange(method, path, result);
            return result;
        } catch (const Poco::Exception&) {
            session_->reset();
            if (attempt >= 1) throw;
        }
    }
}

std::string HttpClient::createProject(const std::string& name) {
    auto result = post("/api/projects", "{\"name\":" + quote(name) + ",\"workingDir\":\"/tmp\"}");
    if (result.status != 201) throw std::runtime_error("create project: " + result.body);
    return result.object()->getValue<std::string>("id");
}

std::string HttpClient::createTask(const std::string& projectId, const std::string& title) {
    auto result = post("/api/tasks",
                       "{\"projectId\":" + quote(projectId) + ",\"title\":" + quote(title) + "}");
    if (result.status != 201) throw std::runtime_error("create task: " + result.body);
    return result.object()->getValue<std::string>("id");
}

std::string HttpClient::createSubtask(const std::string& taskId, const std::string& title) {
    auto result = post("/api/tasks/" + taskId + "/subtasks", "{\"title\":" + quote(title) + "}");
    if (result.status != 201) throw std::runtime_error("create subtask: " + result.body);
    return result.object()->getValue<std::string>("id");
}

std::string quote(const std::string& text) {
    std::ostringstream out;
    Poco::JSON::Stringifier::formatString(text, out);
    return out.str();
}

} // namespace maestro::test
