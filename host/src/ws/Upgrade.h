#pragma once

#include <Poco/Net/HTTPRequest.h>
#include <string>

namespace maestro::host::ws {

// True when the request asks to switch to the WebSocket protocol.
bool isUpgradeRequest(const Poco::Net::HTTPRequest& request);

// Checks the opening handshake and returns the Sec-WebSocket-Accept value of the 101 answer
// (RFC 6455 §4.2). Throws ApiError 400 or 426 for a malformed handshake; the caller has
// already checked Host and Origin, and hands the socket to Hub::adopt once the 101 is sent.
std::string handshakeAccept(const Poco::Net::HTTPRequest& request);

} // namespace maestro::host::ws
