#include "http/Router.h"

#include "http/RequestTarget.h"

#include <algorithm>

namespace maestro::host::http {

void Router::add(std::string method, std::string pattern, Handler handler,
                 Idempotency idempotency) {
    Route route{std::move(method), {}, std::move(handler), idempotency, {}, 0};
    std::size_t start = 0;
    while (start < pattern.size()) {
        auto end = pattern.find('/', start);
        if (end == std::string::npos) end = pattern.size();
        if (end > start) {
            auto segment = pattern.substr(start, end - start);
            if (segment[0] != ':') ++route.literalCount;
            route.segments.push_back(std::move(segment));
        }
        start = end + 1;
    }
    routes_.push_back(std::move(route));
}

void Router::add(std::string method, std::string pattern, Handler handler, LoopHandler onLoop) {
    add(std::move(method), std::move(pattern), std::move(handler));
    routes_.back().onLoop = std::move(onLoop);
}

Router::Match Router::match(std::string_view method, std::string_view target) const {
    return match(method, RequestTarget::parse(target).segments);
}

Router::Match Router::match(std::string_view method,
                            const std::vector<std::string>& segments) const {
    Match best;
    int bestLiterals = -1;
    for (const auto& route : routes_) {
        if (route.segments.size() != segments.size()) continue;
        std::map<std::string, std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            const auto& want = route.segments[i];
            if (want[0] == ':')
                params[want.substr(1)] = segments[i];
            else
                ok = want == segments[i];
        }
        if (!ok) continue;
        if (route.literalCount > bestLiterals) {
            bestLiterals = route.literalCount;
            best = Match{};
        }
        if (route.literalCount < bestLiterals) continue;
        best.allowedMethods.push_back(route.method);
        if (route.method == method) {
            best.handler = &route.handler;
            best.idempotency = route.idempotency;
            best.onLoop = route.onLoop ? &route.onLoop : nullptr;
            best.params = std::move(params);
        }
    }
    return best;
}

} // namespace maestro::host::http
