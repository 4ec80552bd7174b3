#pragma once

#include "http/Exchange.h"

#include <string>
#include <string_view>

namespace maestro::host::http {

// How a response goes out on its connection.
struct Framing {
    bool http10 = false;   // answer a HTTP/1.0 request in kind
    bool keepAlive = true; // false: "Connection: close", and the connection ends after it
    bool headOnly = false; // a HEAD request: the head alone, with the body's Content-Length
};

// The bytes of a response, head and body in one buffer so they go out in one write (one
// segment, one wake-up for the client): the status line with its reason phrase, Date,
// Connection, Content-Type, Content-Length, the response's own fields, then the body.
// A 101 carries neither a body nor Content-Length.
std::string toBytes(const Response& response, const Framing& framing);

// The reason phrase of a status code ("Not Found"); "Unknown" for codes without one.
std::string_view reasonPhrase(int status);

} // namespace maestro::host::http
