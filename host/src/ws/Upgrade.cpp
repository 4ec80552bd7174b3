#include "ws/Upgrade.h"

#include "domain/ApiError.h"
#include "ws/Frame.h"

#include <Poco/String.h>

namespace maestro::host::ws {

namespace {

bool headerHasToken(const Poco::Net::HTTPRequest& request, const std::string& name,
                    const std::string& token) {
    const auto& value = request.get(name, "");
    return Poco::icompare(value, token) == 0 ||
           Poco::toLower(value).find(Poco::toLower(token)) != std::string::npos;
}

} // namespace

bool isUpgradeRequest(const Poco::Net::HTTPRequest& request) {
    return headerHasToken(request, "Upgrade", "websocket");
}

std::string handshakeAccept(const Poco::Net::HTTPRequest& request) {
    using domain::ApiError;
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET)
        throw ApiError::badRequest("invalid_upgrade", "WebSocket upgrades must use GET");
    if (!headerHasToken(request, "Connection", "upgrade"))
        throw ApiError::badRequest("invalid_upgrade", "Connection: Upgrade is required");
    if (request.get("Sec-WebSocket-Version", "") != "13")
        throw ApiError(426, "unsupported_websocket_version",
                       "Only WebSocket version 13 is supported");
    const auto& key = request.get("Sec-WebSocket-Key", "");
    if (key.size() != 24)
        throw ApiError::badRequest("invalid_upgrade", "Sec-WebSocket-Key is missing or malformed");
    return acceptKey(key);
}

} // namespace maestro::host::ws
