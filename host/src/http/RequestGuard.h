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
//  - bound beyond loopback, every request needs the bearer token;
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

    // Throws ApiError 403 (foreign Host or Origin) or 401 (missing or wrong token or secret).
    void check(const Poco::Net::HTTPRequest& request, const std::string& query) const;

private:
    bool allowedHost(const std::string& hostHeader) const;
    bool allowedOrigin(const std::string& origin) const;

    Config config_;
};

} // namespace maestro::host::http
