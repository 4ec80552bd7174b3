#pragma once

#include "RetryPolicy.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maestro::cli {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method;
    std::string target; // path and query, e.g. "/api/tasks?projectId=p"
    std::string body;
    HeaderList headers;
};

struct HttpResponse {
    int status = 0;
    std::string body;
    HeaderList headers;
    // The first header of that name, compared case-insensitively.
    std::optional<std::string> header(std::string_view name) const;
};

// Why no response arrived. Only `Refused` proves the request never reached the server; after
// any other failure the server may have acted on it.
enum class TransportFailure { Refused, Reset, Timeout, Resolve, Protocol };

class TransportError : public std::runtime_error {
public:
    TransportError(TransportFailure failure, const std::string& message)
        : std::runtime_error(message), failure_(failure) {}
    TransportFailure failure() const noexcept { return failure_; }
    bool mayHaveArrived() const noexcept {
        return failure_ != TransportFailure::Refused && failure_ != TransportFailure::Resolve;
    }

private:
    TransportFailure failure_;
};

// One HTTP exchange, no retries. Throws TransportError when no complete response arrived.
class Transport {
public:
    virtual ~Transport() = default;
    virtual HttpResponse send(const HttpRequest& request, Millis timeout) = 0;
};

// Where the server is: an http:// URL with an optional path prefix.
struct ServerUrl {
    std::string text; // as given, without a trailing slash
    std::string host;
    int port = 80;
    std::string basePath; // "" or "/prefix"

    // Throws CliError (usage) for anything but http://host[:port][/path].
    static ServerUrl parse(const std::string& text);
    bool isLoopback() const;
};

// Builds a query string with percent-encoded values; unset values are left out.
class Query {
public:
    Query& addOptional(std::string_view name, const std::optional<std::string>& value);
    Query& add(std::string_view name, std::string_view value);
    // "?a=1&b=2", or "" when nothing was added.
    std::string str() const { return text_; }

private:
    std::string text_;
};

class CliError;
// The error of a server that stayed unreachable through every retry (exit 69), with details
// {server, attempts, elapsedMs, lastError}.
CliError unreachableError(const ServerUrl& url, int attempts, Millis elapsed,
                          const std::string& lastError);

// Percent-encodes one path segment (ids are URL-safe, but a typo must not change the route).
std::string pathSegment(std::string_view text);

} // namespace maestro::cli
