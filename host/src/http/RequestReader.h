#pragma once

#include "domain/ApiError.h"

#include <Poco/Net/HTTPRequest.h>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maestro::host::http {

// How much of a request the server reads before refusing it.
struct RequestLimits {
    std::size_t maxRequestLine = 8 * 1024;  // longer: 414
    std::size_t maxHeaderLine = 8 * 1024;   // one field, name and value: 431
    std::size_t maxHeaderBytes = 64 * 1024; // the whole head: 431
    std::size_t maxHeaderFields = 100;      // 431
    std::size_t maxBody = 1u << 20;         // 413
};

// One request as read off a connection: the head as Poco parsed it, the body whole (de-chunked).
struct IncomingRequest {
    Poco::Net::HTTPRequest head;
    std::string body;
};

// HTTP/1.1 request framing (RFC 9112), fed bytes as they arrive: finds the end of the head
// within the limits, has Poco parse it, takes the body's length from Content-Length or the
// chunked coding and collects the body. A malformed, ambiguous or oversized request ends in
// an ApiError (400, 413, 414, 431, 501, 505) rather than a guess: when the framing is in doubt
// the next request would start at the wrong byte, so the connection must close after the
// error is sent. No I/O here; one reader serves every request of a connection in turn.
class RequestReader {
public:
    enum class State {
        Idle,     // no byte of a request yet
        Head,     // reading the request line and header fields
        Body,     // reading the body
        Complete, // a whole request is ready: take() it
        Failed,   // error() says why
    };

    explicit RequestReader(RequestLimits limits = {}) : limits_(limits) {}

    // Reads bytes of the current request from data and returns how many it used. It stops at
    // the end of a request, so the bytes of a pipelined next request stay with the caller.
    std::size_t feed(std::string_view data);
    // The peer will send nothing more: a request begun but not complete fails (400).
    void endOfInput();

    State state() const noexcept { return state_; }
    // True once, right after a head that asked for "100 Continue" before its body.
    bool takeExpectContinue() noexcept { return std::exchange(expectContinue_, false); }
    // Why the request failed (state Failed).
    const domain::ApiError& error() const { return *error_; }
    // The whole request (state Complete); the reader then waits for the next one.
    std::unique_ptr<IncomingRequest> take();

private:
    enum class Chunk { Size, Data, DataEnd, Trailer };

    std::size_t feedHead(std::string_view data);
    std::size_t feedBody(std::string_view data);
    std::size_t feedChunked(std::string_view data);
    // A complete line of the head (without its line break) has arrived.
    void headLine(std::string_view line);
    // Checks what is known of the line being read against the limits.
    void checkHeadLimits(std::size_t lineLength);
    void parseHead();
    void decideBodyLength();
    // Appends data to line_ up to and including a line break; returns the bytes used and sets
    // lineDone when the line is complete (line_ then holds it without the break).
    std::size_t collectLine(std::string_view data, std::size_t maxLength, bool& lineDone);
    void chunkSizeLine();
    void fail(domain::ApiError error);

    RequestLimits limits_;
    State state_ = State::Idle;
    std::unique_ptr<IncomingRequest> request_;
    std::optional<domain::ApiError> error_;
    bool expectContinue_ = false;

    std::string head_;          // the head's bytes so far
    std::size_t lineStart_ = 0; // where the current line begins in head_
    bool sawRequestLine_ = false;
    std::size_t fields_ = 0;
    int emptyLinesBefore_ = 0; // tolerated before the request line (RFC 9112 §2.2)

    bool chunked_ = false;
    std::uint64_t remaining_ = 0; // body bytes (or bytes of the current chunk) still to come
    Chunk chunk_ = Chunk::Size;
    std::string line_; // a chunk-size, chunk-end or trailer line being collected
    std::size_t trailerBytes_ = 0;
};

} // namespace maestro::host::http
