#include "RawHttp.h"

#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace maestro::test {

std::string RawResponse::header(const std::string& name) const {
    auto it = headers.find(Poco::toLower(name));
    return it == headers.end() ? std::string{} : it->second;
}

Poco::JSON::Object::Ptr RawResponse::object() const {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

RawConnection::RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd_);
        throw std::runtime_error("connect failed");
    }
    timeval timeout{10, 0}; // a blocked send fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}

bool RawConnection::send(std::string_view bytes) {
    while (!bytes.empty()) {
        auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void RawConnection::shutdownWrite() {
    ::shutdown(fd_, SHUT_WR);
}

bool RawConnection::receive(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[65536];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<RawResponse> RawConnection::read(std::chrono::milliseconds timeout, bool headOnly) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!receive(deadline)) return std::nullopt;

    RawResponse response;
    std::string_view head(buffer_.data(), end);
    auto lineEnd = head.find("\r\n");
    std::string_view statusLine = head.substr(0, lineEnd);
    auto firstSpace = statusLine.find(' ');
    auto secondSpace = statusLine.find(' ', firstSpace + 1);
    response.version = std::string(statusLine.substr(0, firstSpace));
    response.status = std::stoi(std::string(statusLine.substr(firstSpace + 1, 3)));
    if (secondSpace != std::string_view::npos)
        response.reason = std::string(statusLine.substr(secondSpace + 1));
    while (lineEnd != std::string_view::npos) {
        auto start = lineEnd + 2;
        lineEnd = head.find("\r\n", start);
        auto line = head.substr(start, lineEnd == std::string_view::npos ? std::string_view::npos
                                                                         : lineEnd - start);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
        response.headers[Poco::toLower(std::string(line.substr(0, colon)))] = std::string(value);
    }
    buffer_.erase(0, end + 4);
    std::size_t length = 0;
    if (!headOnly && response.status >= 200 && !response.header("Content-Length").empty())
        length = std::stoul(response.header("Content-Length"));
    while (buffer_.size() < length)
        if (!receive(deadline)) return std::nullopt;
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
}

bool RawConnection::closedByServer(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd pfd{fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
        char chunk[65536];
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return true;
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

void raiseOpenFileLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

} // namespace maestro::test
