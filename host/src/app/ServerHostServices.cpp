#include "app/ServerHostServices.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <sstream>

namespace maestro::host::app {

ServerHostServices::ServerHostServices(std::string apiUrl, int port, std::filesystem::path home,
                                       std::filesystem::path cliPath, std::string token)
    : apiUrl_(std::move(apiUrl)), port_(port), home_(std::move(home)), cliPath_(std::move(cliPath)),
      token_(std::move(token)) {}

void ServerHostServices::log(LogLevel level, std::string_view skillId, std::string_view message) {
    auto& logger = Poco::Logger::get("host.skills");
    std::string text = "[" + std::string(skillId) + "] " + std::string(message);
    switch (level) {
    case LogLevel::Debug:
        logger.debug(text);
        break;
    case LogLevel::Info:
        logger.information(text);
        break;
    case LogLevel::Warning:
        logger.warning(text);
        break;
    case LogLevel::Error:
        logger.error(text);
        break;
    }
}

std::optional<std::string> ServerHostServices::config(std::string_view key) {
    if (key == "apiUrl") return apiUrl_;
    if (key == "home") return home_.string();
    if (cliPath_.empty()) return std::nullopt;
    if (key == "cliPath") return cliPath_.string();
    if (key == "cliDir") return cliPath_.parent_path().string();
    return std::nullopt;
}

skillhost::HostServices::ApiResponse
ServerHostServices::callApi(std::string_view method, std::string_view path, std::string_view body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(std::string(method), std::string(path),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token_.empty()) request.set("Authorization", "Bearer " + token_);
    if (!body.empty()) {
        request.setContentType("application/json");
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::ostringstream content;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), content);
    return {static_cast<int>(response.getStatus()), content.str()};
}

} // namespace maestro::host::app
