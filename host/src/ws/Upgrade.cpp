#include "ws/Upgrade.h"

#include "domain/ApiError.h"
#include "ws/Frame.h"
#include "ws/Hub.h"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/String.h>

namespace maestro::host::ws {

namespace {

bool headerHasToken(const Poco::Net::HTTPServerRequest& request, const std::string& name,
                    const std::string& token) {
    const auto& value = request.get(name, "");
    return Poco::icompare(value, token) == 0 ||
           Poco::toLower(value).find(Poco::toLower(token)) != std::string::npos;
}

} // namespace

bool isUpgradeRequest(const Poco::Net::HTTPServerRequest& request) {
    return headerHasToken(request, "Upgrade", "websocket");
}

void acceptUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   Hub& hub) {
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

    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
    response.set("Upgrade", "websocket");
    response.set("Connection", "Upgrade");
    response.set("Sec-WebSocket-Accept", acceptKey(key));
    response.setContentLength(Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH);
    response.send().flush();

    auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Buffer<char> pending(0);
    impl.session().drainBuffer(pending);
    auto socket = impl.detachSocket();
    hub.adopt(std::move(socket), std::string(pending.begin(), pending.size()));
}

} // namespace maestro::host::ws
