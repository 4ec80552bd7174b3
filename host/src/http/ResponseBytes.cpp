#include "http/ResponseBytes.h"

#include <Poco/Net/HTTPResponse.h>
#include <charconv>
#include <ctime>

namespace maestro::host::http {

namespace {

// "Date: Mon, 30 Nov 2026 09:12:19 GMT\r\n", formatted once a second per thread.
std::string_view dateField() {
    thread_local std::time_t formattedAt = 0;
    thread_local char field[64];
    thread_local std::size_t length = 0;
    auto now = std::time(nullptr);
    if (now != formattedAt) {
        std::tm utc{};
        ::gmtime_r(&now, &utc);
        length = std::strftime(field, sizeof field, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &utc);
        formattedAt = now;
    }
    return {field, length};
}

void appendNumber(std::string& out, std::size_t value) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}

} // namespace

std::string_view reasonPhrase(int status) {
    // The phrases RFC 9110 renamed; Poco's table has the older ones.
    switch (status) {
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 416:
        return "Range Not Satisfiable";
    case 422:
        return "Unprocessable Content";
    case 504:
        return "Gateway Timeout";
    default:
        return Poco::Net::HTTPResponse::getReasonForStatus(
            static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    }
}

std::string toBytes(const Response& response, const Framing& framing) {
    const bool switching = response.status == 101;
    std::string out;
    std::size_t fields = 0;
    for (const auto& [name, value] : response.headers)
        fields += name.size() + value.size() + 4;
    out.reserve(160 + fields + response.contentType.size() +
                (framing.headOnly ? 0 : response.body.size()));
    out += framing.http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    appendNumber(out, static_cast<std::size_t>(response.status));
    out += ' ';
    out += reasonPhrase(response.status);
    out += "\r\n";
    out += dateField();
    if (!switching) {
        out += framing.keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
        if (!response.contentType.empty()) {
            out += "Content-Type: ";
            out += response.contentType;
            out += "\r\n";
        }
        out += "Content-Length: ";
        appendNumber(out, response.body.size());
        out += "\r\n";
    }
    for (const auto& [name, value] : response.headers) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    out += "\r\n";
    if (!framing.headOnly && !switching) out += response.body;
    return out;
}

} // namespace maestro::host::http
