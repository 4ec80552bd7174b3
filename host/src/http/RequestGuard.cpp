#include "http/RequestGuard.h"

#include "cluster/PeerClient.h"
#include "domain/ApiError.h"

#include <Poco/String.h>
#include <Poco/URI.h>

namespace maestro::host::http {

using domain::ApiError;

namespace {

// "host:port", "[v6]:port" or "host" → lower-case host without brackets or port.
std::string hostPart(const std::string& authority) {
    std::string host = authority;
    if (!host.empty() && host.front() == '[') {
        auto close = host.find(']');
        host = close == std::string::npos ? host : host.substr(1, close - 1);
    } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
        host = host.substr(0, colon);
    }
    return Poco::toLower(host);
}

bool constantTimeEquals(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

RequestGuard::RequestGuard(Config config) : config_(std::move(config)) {
    config_.hosts.insert({"localhost", "127.0.0.1", "::1"});
}

bool RequestGuard::allowedHost(const std::string& hostHeader) const {
    return config_.hosts.count(hostPart(hostHeader)) > 0;
}

bool RequestGuard::allowedOrigin(const std::string& origin) const {
    if (config_.extraOrigins.count(origin)) return true;
    try {
        Poco::URI uri(origin);
        if (uri.getScheme() != "http" && uri.getScheme() != "https") return false;
        return config_.hosts.count(Poco::toLower(uri.getHost())) > 0 &&
               static_cast<int>(uri.getPort()) == config_.port;
    } catch (const Poco::Exception&) {
        return false; // "null" and other opaque origins
    }
}

void RequestGuard::check(const Poco::Net::HTTPRequest& request, Token token,
                         const std::string& query) const {
    if (request.has(cluster::kClusterSecretHeader)) {
        // Another node of the cluster, forwarding a client's request (it checked that one):
        // its Host is this node's advertised name, whatever this node was told to accept.
        if (config_.clusterSecret.empty() ||
            !constantTimeEquals(request.get(cluster::kClusterSecretHeader), config_.clusterSecret))
            throw ApiError(401, "unauthorized", "A valid cluster secret is required");
        return;
    }
    if (request.has("Host") && !allowedHost(request.getHost()))
        throw ApiError(403, "forbidden_host",
                       "Host '" + request.getHost() + "' is not this server");
    if (request.has("Origin") && !allowedOrigin(request.get("Origin")))
        throw ApiError(403, "forbidden_origin",
                       "Cross-origin requests are refused (Origin '" + request.get("Origin") +
                           "')");
    if (!config_.token || token == Token::NotNeeded) return;

    std::string presented;
    if (request.has("Authorization")) {
        const auto& auth = request.get("Authorization");
        if (Poco::icompare(auth.substr(0, 7), "Bearer ") == 0) presented = auth.substr(7);
    } else if (token == Token::HeaderOrQuery) {
        for (const auto& [key, value] : Poco::URI("/?" + query).getQueryParameters())
            if (key == "token") presented = value;
    }
    if (presented.empty() || !constantTimeEquals(presented, *config_.token))
        throw ApiError(401, "unauthorized", "A valid bearer token is required");
}

} // namespace maestro::host::http
