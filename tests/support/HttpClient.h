#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
}

namespace maestro::test {

struct HttpResult {
    int status = 0;
    std::string reason;                         // the status line's reason phrase
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;

    Poco::JSON::Object::Ptr object() const; // throws if the body is not a JSON object
    Poco::JSON::Array::Ptr array() const;   // throws if the body is not a JSON array
    std::string header(const std::string& name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// A keep-alive HTTP/1.1 client with 10 s timeouts. Sends Host: 127.0.0.1:<port>.
class HttpClient {
public:
    HttpClient(std::string host, int port);
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;

    HttpResult request(const std::string& method, const std::string& path,
                       const std::string& body = {}, const Headers& headers = {});
    HttpResult get(const std::string& path, const Headers& headers = {}) {
        return request("GET", path, {}, headers);
    }
    HttpResult post(const std::string& path, const std::string& body, const Headers& headers = {}) {
        return request("POST", path, body, headers);
    }
    HttpResult patch(const std::string& path, const std::string& body,
                     const Headers& headers = {}) {
        return request("PATCH", path, body, headers);
    }
    HttpResult put(const std::string& path, const std::string& body, const Headers& headers = {}) {
        return request("PUT", path, body, headers);
    }
    HttpResult del(const std::string& path, const Headers& headers = {}) {
        return request("DELETE", path, {}, headers);
    }

    // Creates and returns the id of a project / task (asserting success).
    std::string createProject(const std::string& name = "Project");
    std::string createTask(const std::string& projectId, const std::string& title = "Task");
    std::string createSubtask(const std::string& taskId, const std::string& title = "Subtask");

private:
    std::string host_;
    int port_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

// JSON text for a string value, quoted and escaped.
std::string quote(const std::string& text);

} // namespace maestro::test
