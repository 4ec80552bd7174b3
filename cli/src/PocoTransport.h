#pragma once

#include "Http.h"

#include <memory>

namespace Poco::Net {
class HTTPClientSession;
}

namespace maestro::cli {

// HTTP/1.1 over Poco with keep-alive. A failed exchange drops the connection, so the next
// attempt starts on a fresh one.
class PocoTransport : public Transport {
public:
    PocoTransport(std::string host, int port);
    ~PocoTransport() override;

    HttpResponse send(const HttpRequest& request, Millis timeout) override;

private:
    std::string host_;
    int port_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

} // namespace maestro::cli
