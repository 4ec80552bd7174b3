#include "cluster/PeerClient.h"

#include "domain/ApiError.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <sstream>

namespace maestro::host::cluster {

std::string PeerClient::Answer::bodyOrThrow() const {
    if (status >= 200 && status < 300) return body;
    Poco::JSON::Object::Ptr error;
    try {
        error = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) { // not JSON, or not an object
    }
    if (!error || !error->has("code"))
        throw domain::ApiError(503, "node_unavailable",
                               "Another node answered " + std::to_string(status) +
                                   " without an error document");
    std::string details = "{}";
    if (auto object = error->getObject("details")) {
        std::ostringstream text;
        Poco::JSON::Stringifier::stringify(object, text);
        details = text.str();
    }
    throw domain::ApiError(status, error->getValue<std::string>("code"),
                           error->optValue<std::string>("message", ""), details);
}

PeerClient::Answer PeerClient::send(const std::string& nodeId, const std::string& baseUrl,
                                    const std::string& method, const std::string& target,
                                    const std::string& body,
                                    std::chrono::milliseconds timeout) const {
    try {
        Poco::URI uri(baseUrl);
        if (uri.getScheme() != "http") throw Poco::InvalidArgumentException("not http://");
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(std::chrono::microseconds(timeout).count()));
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set(kClusterSecretHeader, secret_);
        if (!body.empty() || method == "POST") {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        auto& in = session.receiveResponse(response);
        Answer answer;
        answer.status = static_cast<int>(response.getStatus());
        answer.contentType = response.getContentType();
        Poco::StreamCopier::copyToString(in, answer.body);
        return answer;
    } catch (const Poco::Exception& e) {
        // The cause, not the secret: nothing of the request is in the message.
        throw domain::ApiError(503, "node_unavailable",
                               "Node " + nodeId + " (" + baseUrl +
                                   ") cannot be reached: " + e.displayText());
    }
}

} // namespace maestro::host::cluster
