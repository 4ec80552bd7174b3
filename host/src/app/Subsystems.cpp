#include "app/Subsystems.h"

#include "app/ServerApp.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Util/TimerTaskAdapter.h>

#include <iostream>

namespace maestro::host::app {

namespace {

const ServerConfig& configOf(Poco::Util::Application& app) { return static_cast<ServerApp&>(app).config(); }

class PurgeTask : public Poco::Util::TimerTask {
public:
    explicit PurgeTask(service::Services& services) : services_(services) {}
    void run() override {
        try {
            if (auto n = services_.idempotency.purgeExpired())
                Poco::Logger::get("host.store").information("forgot %z expired idempotency keys", n);
        } catch (const std::exception& e) {
            Poco::Logger::get("host.store").error("idempotency purge failed: %s", std::string{e.what()});
        }
    }

private:
    service::Services& services_;
};

std::filesystem::path webRootOf(const ServerConfig& config, Poco::Util::Application& app) {
    if (config.webRoot) return *config.webRoot;
    // Installed: <prefix>/bin/maestro-server and <prefix>/share/maestro/web.
    // Build tree: build/host/maestro-server and <source>/web/dist.
    std::filesystem::path exe = app.config().getString("application.dir", ".");
    for (auto candidate : {exe / "../share/maestro/web", std::filesystem::path(MAESTRO_SOURCE_DIR) / "web/dist"})
        if (std::filesystem::exists(candidate / "index.html")) return candidate;
    return exe / "../share/maestro/web";
}

} // namespace

void CoreSubsystem::initialize(Poco::Util::Application& app) {
    db_ = store::Database::openSqlite(configOf(app).databaseFile());
    services_ = std::make_unique<service::Services>(*db_, bus_);
    housekeeping_ = std::make_unique<Poco::Util::Timer>();
    housekeeping_->scheduleAtFixedRate(new PurgeTask(*services_), 1000, 3600 * 1000);
}

void CoreSubsystem::uninitialize() {
    if (housekeeping_) housekeeping_->cancel(true);
    housekeeping_.reset();
    services_.reset();
    db_.reset();
}

void WsSubsystem::initialize(Poco::Util::Application& app) {
    auto& core = app.getSubsystem<CoreSubsystem>();
    ws::HubOptions options;
    options.maxQueuedMessages = configOf(app).wsMaxQueuedMessages;
    options.maxQueuedBytes = configOf(app).wsMaxQueuedBytes;
    hub_ = std::make_unique<ws::Hub>(core.services().eventLog, options);
    bus_ = &core.bus();
    bus_->subscribe(*hub_);
    hub_->start();
}

void WsSubsystem::uninitialize() {
    if (!hub_) return;
    bus_->unsubscribe(*hub_);
    hub_->stop();
    hub_.reset();
}

void HttpSubsystem::initialize(Poco::Util::Application& app) {
    const auto& config = configOf(app);
    auto& core = app.getSubsystem<CoreSubsystem>();
    auto& hub = app.getSubsystem<WsSubsystem>().hub();

    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(config.bind, static_cast<Poco::UInt16>(config.port)), true);
    socket.listen(256);
    port_ = socket.address().port();

    http::RequestGuard::Config guard;
    guard.port = port_;
    guard.hosts = config.allowedHosts;
    guard.hosts.insert(config.bind);
    guard.extraOrigins = config.allowedOrigins;
    guard.token = config.token;
    guard_ = std::make_unique<http::RequestGuard>(std::move(guard));
    api_ = std::make_unique<http::Api>(core.services());
    web_ = std::make_unique<http::StaticFiles>(webRootOf(config, app));

    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config.httpThreads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0); // unlimited
    params->setKeepAliveTimeout(Poco::Timespan(15, 0));
    params->setTimeout(Poco::Timespan(30, 0));
    params->setServerName("maestro");
    threads_ = std::make_unique<Poco::ThreadPool>(4, config.httpThreads + 4, 60);
    server_ = std::make_unique<Poco::Net::HTTPServer>(
        new http::RequestHandlerFactory({api_->router(), *guard_, core.services().idempotency, hub, *web_}),
        *threads_, socket, params);
    server_->start();

    auto url = "http://" + (config.bind.find(':') != std::string::npos ? "[" + config.bind + "]" : config.bind) +
               ":" + std::to_string(port_);
    // The one line on stdout: scripts and tests read the port from it.
    std::cout << "maestro-server listening on " << url << std::endl;
    app.logger().information("listening on %s (home %s, web UI %s)", url, config.home.string(),
                             std::string{web_->available() ? "on" : "not built"});
}

void HttpSubsystem::uninitialize() {
    if (server_) server_->stopAll(true);
    server_.reset();
    if (threads_) threads_->joinAll();
    threads_.reset();
    api_.reset();
}

} // namespace maestro::host::app
