#pragma once

#include "http/Exchange.h"
#include "http/RequestGuard.h"
#include "http/RequestReader.h"
#include "http/Router.h"
#include "http/StaticFiles.h"
#include "service/IdempotencyService.h"

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

    Outcome dispatch(IncomingRequest& request) const noexcept;

private:
    Outcome handle(IncomingRequest& request) const;

    Parts parts_;
};

} // namespace maestro::host::http
