#pragma once

#include "http/RequestGuard.h"
#include "http/Router.h"
#include "http/StaticFiles.h"
#include "service/IdempotencyService.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

namespace maestro::host::ws {
class Hub;
}

namespace maestro::host::http {

// Poco glue: every request — API, WebSocket upgrade or UI file — goes through one handler
// that checks the guard, bounds the body, routes, applies Idempotency-Key and maps errors.
// The factory never returns null, so Poco never answers on its own (it would send 501).
class RequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    static constexpr std::size_t kMaxBody = 1u << 20;

    struct Parts {
        const Router& router;
        const RequestGuard& guard;
        service::IdempotencyService& idempotency;
        ws::Hub& hub;
        const StaticFiles& web;
    };

    explicit RequestHandlerFactory(Parts parts) : parts_(parts) {}
    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest&) override;
    // Ends every open connection, idle keep-alive ones included (after the server stopped
    // accepting): what Poco's HTTPServer::stopAll does.
    void closeConnections() {
        const bool abortCurrent = true;
        serverStopped(this, abortCurrent);
    }

private:
    Parts parts_;
};

// Poco's HTTP connections, on sockets set to TCP_NODELAY (Poco's HTTPServer leaves Nagle on).
class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr handlers);
    Poco::Net::TCPServerConnection*
    createConnection(const Poco::Net::StreamSocket& socket) override;

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

} // namespace maestro::host::http
