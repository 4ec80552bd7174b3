#pragma once

#include "http/Dispatcher.h"
#include "http/RequestReader.h"

#include <Poco/Net/ServerSocket.h>
#include <chrono>
#include <cstddef>
#include <memory>
#include <thread>

namespace maestro::host::ws {
class Hub;
}

namespace maestro::host::http {

struct ServerOptions {
    // Open connections (WebSocket ones included) beyond which a new one is refused with 503.
    std::size_t maxConnections = 16384;
    // From a request's first byte until its head is complete; then 408 and close.
    std::chrono::milliseconds headerTimeout{10'000};
    // From the end of a head until the body is complete; then 408 and close.
    std::chrono::milliseconds bodyTimeout{30'000};
    // A keep-alive connection with no request begun is closed after this.
    std::chrono::milliseconds idleTimeout{15'000};
    // A response the client stops reading for this long is abandoned with its connection.
    std::chrono::milliseconds sendTimeout{30'000};
    std::size_t workers = 128; // threads that run handlers
    RequestLimits limits;
};

// The HTTP front: one thread runs every connection with epoll and non-blocking sockets.
// It accepts, reads and frames requests (RequestReader) and writes responses, so an idle,
// silent or slow connection costs a few hundred bytes and no thread. A complete request —
// head and body — is answered on the loop when that needs no waiting (Dispatcher::
// dispatchOnLoop: hot reads from memory, refusals, upgrades); any other goes to the worker
// pool, whose threads run the Dispatcher and hand the response back to the loop to write. A
// connection has one request in flight at a time, so pipelined requests are answered in
// order. A 101 hands the socket to the WebSocket hub.
// See docs/architecture.md for the timeouts, the connection cap and the choices behind them.
class HttpServer {
public:
    HttpServer(Poco::Net::ServerSocket& listener, const Dispatcher& dispatcher, ws::Hub& hub,
               ServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void start();
    // Stops accepting, lets the requests being handled finish and answers them, then closes
    // every connection.
    void stop();

private:
    class Loop;
    std::unique_ptr<Loop> loop_;
    std::thread thread_;
};

} // namespace maestro::host::http
