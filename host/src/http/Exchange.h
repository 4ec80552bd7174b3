#pragma once

#include "domain/JsonInput.h"

#include <Poco/Net/HTTPRequest.h>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace maestro::host::http {

// What a handler sees of a request: the matched path parameters, the query, headers and the
// whole body (already bounded by the 1 MiB limit).
class Request {
public:
    Request(const Poco::Net::HTTPRequest& raw, std::string path,
            std::vector<std::pair<std::string, std::string>> query, std::string body)
        : raw_(raw), path_(std::move(path)), query_(std::move(query)), body_(std::move(body)) {}

    const std::string& method() const { return raw_.getMethod(); }
    const std::string& path() const noexcept { return path_; }
    // The request target as it came (origin-form: path and query).
    const std::string& target() const { return raw_.getURI(); }
    const std::string& body() const noexcept { return body_; }

    // A path parameter of the matched route, e.g. param("id") for /api/tasks/:id.
    const std::string& param(const std::string& name) const { return params_.at(name); }
    std::optional<std::string> query(const std::string& name) const;
    std::optional<std::string> header(const std::string& name) const;
    // The body as a JSON object (ApiError 400 when it is not one).
    domain::JsonInput json() const { return domain::JsonInput::parseObject(body_); }

    void setParams(std::map<std::string, std::string> params) { params_ = std::move(params); }

private:
    const Poco::Net::HTTPRequest& raw_;
    std::string path_;
    std::vector<std::pair<std::string, std::string>> query_;
    std::string body_;
    std::map<std::string, std::string> params_;
};

struct Response {
    int status = 200;
    std::string body;
    std::string contentType = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;

    static Response json(int status, std::string body) {
        return {status, std::move(body), "application/json; charset=utf-8", {}};
    }
    Response& header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

} // namespace maestro::host::http
