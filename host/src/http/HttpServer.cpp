#include "http/HttpServer.h"

#include "domain/ApiError.h"
#include "http/ErrorMapper.h"
#include "http/RequestTarget.h"
#include "ws/Upgrade.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <istream>
#include <sstream>

namespace maestro::host::http {

using domain::ApiError;

namespace {

ApiError tooLarge() {
    return ApiError(413, "payload_too_large",
                    "Request body exceeds " + std::to_string(RequestHandlerFactory::kMaxBody) +
                        " bytes");
}

// Reads and drops what is left of a refused body, so the client (still sending) gets to read
// our 413 instead of a connection reset. Beyond kMaxDiscard the connection is simply closed.
bool discardRest(std::istream& in) {
    constexpr std::size_t kMaxDiscard = 16u << 20;
    char buffer[16384];
    std::size_t dropped = 0;
    while (dropped <= kMaxDiscard && (in.read(buffer, sizeof buffer) || in.gcount() > 0))
        dropped += static_cast<std::size_t>(in.gcount());
    return dropped <= kMaxDiscard;
}

std::string readBody(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) {
    auto& in = request.stream();
    auto length = request.getContentLength64();
    std::string body;
    try {
        if (length > static_cast<Poco::Int64>(RequestHandlerFactory::kMaxBody)) {
            if (!discardRest(in)) response.setKeepAlive(false);
            throw tooLarge();
        }
        if (length >= 0) {
            body.resize(static_cast<std::size_t>(length));
            in.read(body.data(), length);
            body.resize(static_cast<std::size_t>(in.gcount()));
        } else if (request.getChunkedTransferEncoding()) {
            char buffer[8192];
            while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
                body.append(buffer, static_cast<std::size_t>(in.gcount()));
                if (body.size() > RequestHandlerFactory::kMaxBody) {
                    if (!discardRest(in)) response.setKeepAlive(false);
                    throw tooLarge();
                }
            }
        }
    } catch (const Poco::TimeoutException&) {
        response.setKeepAlive(false);
        throw ApiError(408, "request_timeout", "The request body did not arrive in time");
    } catch (const Poco::Net::NetException&) {
        response.setKeepAlive(false);
        throw ApiError::badRequest("incomplete_body", "The request body ended early");
    }
    return body;
}

// Head and body go out in one write, so a response is one segment and costs the client one
// wake-up (Poco's sendBuffer writes them separately). A HEAD request gets the head alone.
void send(const Response& result, Poco::Net::HTTPServerRequest& request,
          Poco::Net::HTTPServerResponse& response) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(result.status));
    response.setContentType(result.contentType);
    response.setContentLength64(static_cast<Poco::Int64>(result.body.size()));
    for (const auto& [name, value] : result.headers)
        response.add(name, value);
    std::ostringstream head;
    response.write(head);
    std::string bytes = std::move(head).str();
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD) bytes += result.body;
    static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().sendBytes(
        bytes.data(), static_cast<int>(bytes.size()));
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit RequestHandler(const RequestHandlerFactory::Parts& parts) : parts_(parts) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        Response result;
        try {
            if (handle(request, response, result)) return; // the socket now belongs to the hub
        } catch (...) {
            result = mapCurrentException();
        }
        // A request refused before its body was read leaves that body on the connection,
        // where it would be taken for the next request: close instead of keeping it alive.
        if (!bodyRead_ &&
            (request.getContentLength64() > 0 || request.getChunkedTransferEncoding()))
            response.setKeepAlive(false);
        try {
            send(result, request, response);
        } catch (const Poco::Exception&) {
            // The client went away; there is nobody left to tell.
        }
    }

private:
    // Returns true when the connection was upgraded to a WebSocket.
    bool handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                Response& result) {
        auto target = RequestTarget::parse(request.getURI());
        parts_.guard.check(request, target.query);

        if (ws::isUpgradeRequest(request)) {
            bool wsPath = target.segments.empty() ||
                          (target.segments.size() == 1 && target.segments[0] == "ws");
            if (!wsPath) throw ApiError(404, "route_not_found", "No WebSocket at " + target.path);
            ws::acceptUpgrade(request, response, parts_.hub);
            return true;
        }

        const auto& method = request.getMethod();
        const auto& first = target.segments.empty() ? std::string{} : target.segments.front();
        bool api = first == "api" || (first == "health" && target.segments.size() == 1);
        if (!api && (method == "GET" || method == "HEAD")) {
            if (auto file = parts_.web.serve(target.segments, request.get("Accept-Encoding", ""))) {
                result = std::move(*file);
                return false;
            }
        }

        auto body = readBody(request, response);
        bodyRead_ = true;
        auto match = parts_.router.match(method, target.segments);
        const auto& path = target.path;
        if (!match.handler) {
            if (match.allowedMethods.empty())
                throw ApiError(404, "route_not_found", "No route for " + method + " " + path);
            result = errorResponse(
                ApiError(405, "method_not_allowed", method + " is not allowed on " + path));
            result.header("Allow", Poco::cat(std::string(", "), match.allowedMethods.begin(),
                                             match.allowedMethods.end()));
            return false;
        }

        Request call(request, path, target.queryParameters(), std::move(body));
        call.setParams(std::move(match.params));
        if (method == "POST" && request.has("Idempotency-Key")) {
            auto work = [&] {
                auto fresh = (*match.handler)(call);
                return service::Reply{fresh.status, std::move(fresh.body)};
            };
            const auto& key = request.get("Idempotency-Key");
            auto reply = match.idempotency == Idempotency::Atomic
                             ? parts_.idempotency.run(key, method, path, call.body(), work)
                             : parts_.idempotency.runReserved(key, method, path, call.body(), work);
            result = Response::json(reply.status, std::move(reply.body));
            if (reply.replayed) result.header("Idempotent-Replayed", "true");
        } else {
            result = (*match.handler)(call);
        }
        return false;
    }

    const RequestHandlerFactory::Parts& parts_;
    bool bodyRead_ = false;
};

} // namespace

Poco::Net::HTTPRequestHandler*
RequestHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
    return new RequestHandler(parts_);
}

ConnectionFactory::ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                                     Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
    : params_(std::move(params)), handlers_(std::move(handlers)) {}

Poco::Net::TCPServerConnection*
ConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
    // Without TCP_NODELAY a small write (a WebSocket frame, a response) sent while an earlier
    // one is unacknowledged would wait for the client's delayed ACK.
    Poco::Net::StreamSocket(socket).setNoDelay(true);
    return new Poco::Net::HTTPServerConnection(socket, params_, handlers_);
}

} // namespace maestro::host::http
