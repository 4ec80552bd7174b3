#pragma once

#include "app/ServerConfig.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Util/ServerApplication.h>

namespace maestro::host::app {

// maestro-server: options, configuration, logging, and the subsystems in start order.
class ServerApp : public Poco::Util::ServerApplication {
public:
    const ServerConfig& config() const noexcept { return config_; }
    // Bound before the subsystems start, so every part knows the real port (--port 0).
    Poco::Net::ServerSocket& listener() noexcept { return listener_; }

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    void initialize(Poco::Util::Application& self) override;
    int main(const ArgVec& args) override;

private:
    void configureLogging();

    ServerConfig config_;
    Poco::Net::ServerSocket listener_;
    std::optional<std::string> homeOption_, bindOption_, databaseOption_, nodeIdOption_,
        advertiseUrlOption_;
    std::optional<int> portOption_;
    bool exitEarly_ = false;
};

} // namespace maestro::host::app
