#pragma once

#include "http/Exchange.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::host::http {

using Handler = std::function<Response(Request&)>;

// The route table: method + path pattern ("/api/tasks/:id/subtasks/:subId") → handler.
// Patterns are matched segment by segment; literal segments win over parameters, so
// "/api/sessions/spawn" is never taken for "/api/sessions/:id".
class Router {
public:
    void add(std::string method, std::string pattern, Handler handler);

    struct Match {
        const Handler* handler = nullptr; // null: no route for this method
        std::map<std::string, std::string> params;
        std::vector<std::string> allowedMethods; // non-empty: the path exists (→ 405)
    };
    Match match(std::string_view method, std::string_view path) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        Handler handler;
        int literalCount = 0;
    };
    std::vector<Route> routes_;
};

// Splits "/a/b/c" into {"a","b","c"}; percent-decodes each segment.
std::vector<std::string> splitPath(std::string_view path);

} // namespace maestro::host::http
