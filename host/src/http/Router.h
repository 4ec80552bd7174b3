#pragma once

#include "http/Exchange.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::host::http {

using Handler = std::function<Response(Request&)>;

// A second handler a route may have, run on the HTTP loop itself: it answers from memory,
// without waiting on anything, or returns nullopt — and the request goes to a worker and the
// route's ordinary handler. It spares a hot read the hand-off to a worker thread and back,
// which is most of what such a request costs. Blocking here would stall every connection.
using LoopHandler = std::function<std::optional<Response>(Request&)>;

// How a POST with an Idempotency-Key is made to happen once (service/IdempotencyService.h).
enum class Idempotency {
    // The handler only changes the database: it runs inside the transaction that records its
    // reply, so the work and the reply commit together.
    Atomic,
    // The handler has effects beyond the database or waits for other writers (spawning or
    // stopping a process, typing into a terminal): the key is reserved first, the handler
    // runs on its own, then the reply is recorded.
    Reserved,
};

// The route table: method + path pattern ("/api/tasks/:id/subtasks/:subId") → handler.
// Patterns are matched segment by segment; literal segments win over parameters, so
// "/api/sessions/spawn" is never taken for "/api/sessions/:id".
class Router {
public:
    void add(std::string method, std::string pattern, Handler handler,
             Idempotency idempotency = Idempotency::Atomic);
    void add(std::string method, std::string pattern, Handler handler, LoopHandler onLoop);

    struct Match {
        const Handler* handler = nullptr; // null: no route for this method
        const LoopHandler* onLoop = nullptr;
        Idempotency idempotency = Idempotency::Atomic;
        std::map<std::string, std::string> params;
        std::vector<std::string> allowedMethods; // non-empty: the path exists (→ 405)
    };
    // `segments`: the decoded path segments of a RequestTarget.
    Match match(std::string_view method, const std::vector<std::string>& segments) const;
    // Parses `target` (origin-form) first; throws like RequestTarget::parse.
    Match match(std::string_view method, std::string_view target) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        Handler handler;
        Idempotency idempotency;
        LoopHandler onLoop;
        int literalCount = 0;
    };
    std::vector<Route> routes_;
};

} // namespace maestro::host::http
