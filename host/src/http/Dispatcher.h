#pragma once

#include "http/Exchange.h"
#include "http/RequestGuard.h"
#include "http/RequestReader.h"
#include "http/Router.h"
#include "http/StaticFiles.h"
#include "service/IdempotencyService.h"

#include <optional>

namespace maestro::host::http {

// What became of a request.
struct Outcome {
    Response response;
    // The response is a 101: once it is sent, the connection belongs to the WebSocket hub.
    bool upgrade = false;
};

// Turns a complete request into its response: the Host/Origin/token guard, WebSocket upgrade
// handshakes, the web UI's files, the route table with Idempotency-Key — and every failure
// into the one error shape (ErrorMapper). Holds no connection state, so any thread may call it.
class Dispatcher {
public:
    struct Parts {
        const Router& router;
        const RequestGuard& guard;
        service::IdempotencyService& idempotency;
        const StaticFiles& web;
    };

    explicit Dispatcher(Parts parts) : parts_(parts) {}

    // On a worker thread: the whole way, whatever the route.
    Outcome dispatch(IncomingRequest& request) const noexcept;
    // On the HTTP loop: answers what needs no worker — a route's LoopHandler that can answer,
    // an upgrade handshake, a refusal by the guard or the route table — and returns nullopt,
    // with the request untouched, for everything else.
    std::optional<Outcome> dispatchOnLoop(IncomingRequest& request) const noexcept;

private:
    std::optional<Outcome> handle(IncomingRequest& request, bool onLoop) const;

    Parts parts_;
};

} // namespace maestro::host::http
