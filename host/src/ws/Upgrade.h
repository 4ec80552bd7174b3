#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace maestro::host::ws {

class Hub;

// True when the request asks to switch to the WebSocket protocol.
bool isUpgradeRequest(const Poco::Net::HTTPServerRequest& request);

// Completes the handshake (101 Switching Protocols) and hands the socket — with any bytes
// already buffered behind the request — to the hub. Throws ApiError 400 for a malformed
// handshake; the caller has already checked Host and Origin.
void acceptUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   Hub& hub);

} // namespace maestro::host::ws
