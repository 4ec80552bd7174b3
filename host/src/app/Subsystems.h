#pragma once

#include "http/Api.h"
#include "http/HttpServer.h"
#include "http/RequestGuard.h"
#include "http/StaticFiles.h"
#include "service/EventBus.h"
#include "service/Services.h"
#include "store/Database.h"
#include "ws/Hub.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/Subsystem.h>
#include <Poco/Util/Timer.h>

#include <memory>

namespace maestro::host::app {

// The parts of the server, started in the order the application adds them (core, ws, http)
// and stopped in reverse: the HTTP server stops taking requests before the hub closes its
// connections, and both stop before the database closes.

// The database, the event bus and every service.
class CoreSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "core"; }
    store::Database& database() { return *db_; }
    service::EventBus& bus() { return bus_; }
    service::Services& services() { return *services_; }

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    std::unique_ptr<store::Database> db_;
    service::EventBus bus_;
    std::unique_ptr<service::Services> services_;
    std::unique_ptr<Poco::Util::Timer> housekeeping_;
};

// The WebSocket hub, fed by the event bus.
class WsSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "ws"; }
    ws::Hub& hub() { return *hub_; }

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    service::EventBus* bus_ = nullptr;
    std::unique_ptr<ws::Hub> hub_;
};

// The HTTP server: API routes, WebSocket upgrades and the web UI on one port.
class HttpSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "http"; }
    int port() const noexcept { return port_; }

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    std::unique_ptr<http::Api> api_;
    std::unique_ptr<http::RequestGuard> guard_;
    std::unique_ptr<http::StaticFiles> web_;
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    int port_ = 0;
};

} // namespace maestro::host::app
