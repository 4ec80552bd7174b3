#pragma once

#include <Poco/Net/HTTPRequest.h>
#include <optional>
#include <set>
#include <string>

namespace maestro::host::http {

// Who may talk to the server. A local tool that can spawn processes must not be reachable
// from web pages the user happens to visit:
//  - Host must name this server (defeats DNS rebinding: evil.example resolving to 127.0.0.1);
//  - a request carrying Origin (every cross-site browser request and WebSocket upgrade does)
//    must come from this server's own origin or an explicitly allowed one;
//  - bound beyond loopback, the API and the WebSocket need the bearer token: in the
//    Authorization header, or as ?token= on a WebSocket upgrade only (browsers cannot give an
//    upgrade headers; anywhere else a token in the URL would only end up in logs and history);
//  - another node of the cluster presents the cluster secret instead (cluster/PeerClient.h).
class RequestGuard {
public:
    struct Config {
        int port = 0;
        std::set<std::string> hosts;        // host names/addresses, lower case, no port
        std::set<std::string> extraOrigins; // e.g. "http://localhost:5173" for a dev UI
        std::optional<std::string> token;   // required when set
        std::string clusterSecret;          // what other nodes present; empty: none may
    };

    explicit RequestGuard(Config config);

    // Where a request may carry the token, when one is required.
    enum class Token {
        NotNeeded,     // the UI's files: the same for everyone, no data, and a browser must
                       // load the page before it can send the token on its API calls
        Header,        // the API: Authorization: Bearer only
        HeaderOrQuery, // a WebSocket upgrade: ?token= too
    };

    // Throws ApiError 403 (foreign Host or Origin) or 401 (missing or wrong token or secret).
    // `query`: the request's query, read only for Token::HeaderOrQuery.
    void check(const Poco::Net::HTTPRequest& request, Token token, const std::string& query) const;

private:
    bool allowedHost(const std::string& hostHeader) const;
    bool allowedOrigin(const std::string& origin) const;

    Config config_;
};

} // namespace maestro::host::http
