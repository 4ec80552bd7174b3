#include "PocoTransport.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <sstream>

namespace maestro::cli {

namespace {

Poco::Timespan timespan(Millis timeout) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000);
}

} // namespace

PocoTransport::PocoTransport(std::string host, int port) : host_(std::move(host)), port_(port) {}

PocoTransport::~PocoTransport() = default;

HttpResponse PocoTransport::send(const HttpRequest& request, Millis timeout) {
    using namespace Poco::Net;
    try {
        if (!session_) {
            session_ = std::make_unique<HTTPClientSession>(host_, static_cast<Poco::UInt16>(port_));
            session_->setKeepAlive(true);
        }
        session_->setTimeout(timespan(timeout), timespan(timeout), timespan(timeout));

        HTTPRequest out(request.method, request.target, HTTPMessage::HTTP_1_1);
        out.set("Accept", "application/json");
        for (const auto& [name, value] : request.headers)
            out.set(name, value);
        if (!request.body.empty() || request.method == "POST" || request.method == "PATCH" ||
            request.method == "PUT") {
            out.setContentType("application/json");
            out.setContentLength(static_cast<std::streamsize>(request.body.size()));
        }
        session_->sendRequest(out) << request.body;

        HTTPResponse in;
        std::istream& stream = session_->receiveResponse(in);
        HttpResponse response;
        response.status = static_cast<int>(in.getStatus());
        Poco::StreamCopier::copyToString(stream, response.body);
        // A connection cut inside the body ends the stream early rather than throwing.
        if (stream.bad() ||
            (in.hasContentLength() &&
             static_cast<std::streamsize>(response.body.size()) != in.getContentLength64())) {
            session_.reset();
            throw TransportError(TransportFailure::Reset,
                                 "the connection closed inside the response");
        }
        for (const auto& [name, value] : in)
            response.headers.emplace_back(name, value);
        return response;
    } catch (const TransportError&) {
        throw;
    } catch (const ConnectionRefusedException& e) {
        session_.reset();
        throw TransportError(TransportFailure::Refused, "connection refused");
    } catch (const Poco::TimeoutException& e) {
        session_.reset();
        throw TransportError(TransportFailure::Timeout,
                             "timed out after " + std::to_string(timeout.count()) + " ms");
    } catch (const HostNotFoundException& e) {
        session_.reset();
        throw TransportError(TransportFailure::Resolve, e.displayText());
    } catch (const NoAddressFoundException& e) {
        session_.reset();
        throw TransportError(TransportFailure::Resolve, e.displayText());
    } catch (const NoMessageException& e) {
        session_.reset();
        throw TransportError(TransportFailure::Reset, "the connection closed before a response");
    } catch (const MessageException& e) {
        session_.reset();
        throw TransportError(TransportFailure::Protocol, "malformed response: " + e.displayText());
    } catch (const Poco::Exception& e) {
        // Reset, aborted, broken pipe, unreachable network: all "no complete response".
        session_.reset();
        throw TransportError(TransportFailure::Reset, e.displayText());
    }
}

} // namespace maestro::cli
