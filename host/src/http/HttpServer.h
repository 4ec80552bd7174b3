#pragma once

#include "http/RequestGuard.h"
#include "http/Router.h"
#include "http/StaticFiles.h"
#include "service/IdempotencyService.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

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
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override;

private:
    Parts parts_;
};

} // namespace maestro::host::http
