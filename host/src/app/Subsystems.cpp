#include "app/Subsystems.h"

#include "app/Programs.h"
#include "app/ServerApp.h"
#include "domain/ApiError.h"
#include "holder/Executable.h"
#include "skillhost/Discovery.h"

#include <Poco/Process.h>
#include <Poco/Util/TimerTask.h>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <sys/resource.h>

namespace maestro::host::app {

namespace {

ServerApp& serverOf(Poco::Util::Application& app) {
    return static_cast<ServerApp&>(app);
}
const ServerConfig& configOf(Poco::Util::Application& app) {
    return serverOf(app).config();
}

// Keeps the stored history to its retention: expired idempotency keys, and events the
// retention policy no longer keeps. A failure (a full disk, say) is logged and tried again
// next time.
class HousekeepingTask : public Poco::Util::TimerTask {
public:
    HousekeepingTask(service::Services& services, service::EventRetention retention)
        : services_(services), retention_(retention) {}
    void run() override {
        auto& logger = Poco::Logger::get("host.store");
        try {
            if (auto n = services_.idempotency.purgeExpired())
                logger.information("forgot %z expired idempotency keys", n);
            if (auto n = services_.eventLog.prune(retention_))
                logger.information("pruned %Ld events past their retention", n);
        } catch (const std::exception& e) {
            logger.error("housekeeping failed: %s", std::string{e.what()});
        }
    }

private:
    service::Services& services_;
    service::EventRetention retention_;
};

class HeartbeatTask : public Poco::Util::TimerTask {
public:
    explicit HeartbeatTask(service::NodeService& nodes) : nodes_(nodes) {}
    void run() override {
        try {
            nodes_.heartbeat();
            if (failing_) Poco::Logger::get("host.store").information("heartbeats recorded again");
            failing_ = false;
        } catch (const std::exception& e) {
            // Said once per outage, not every beat.
            if (!failing_)
                Poco::Logger::get("host.store")
                    .error("heartbeat failed: %s", std::string{e.what()});
            failing_ = true;
        }
    }

private:
    service::NodeService& nodes_;
    bool failing_ = false;
};

// With nodes sharing PostgreSQL, after each heartbeat: the live sessions of nodes that stopped
// heartbeating are marked lost, and this node's own lost sessions that its holders still run
// are running again (it was away, not dead).
class NodeWatchTask : public Poco::Util::TimerTask {
public:
    NodeWatchTask(service::Services& services, service::NodeService& nodes, spawn::Spawner& spawner)
        : services_(services), nodes_(nodes), spawner_(spawner) {}
    void run() override {
        auto& logger = Poco::Logger::get("host.spawn");
        try {
            if (auto n =
                    services_.sessions.markLostOnSilentNodes(nodes_.self().id, nodes_.downCutoff()))
                logger.warning("%z sessions of nodes that stopped heartbeating are lost", n);
            spawner_.reclaimLost();
        } catch (const std::exception& e) {
            logger.error("cannot look for lost sessions: %s", std::string{e.what()});
        }
    }

private:
    service::Services& services_;
    service::NodeService& nodes_;
    spawn::Spawner& spawner_;
};

std::filesystem::path serverDir(Poco::Util::Application& app) {
    return std::filesystem::path(app.config().getString("application.dir", "."));
}

// Beside the binary, never a path compiled in: <prefix>/bin/maestro-server serves
// <prefix>/share/maestro/web, and the build tree mirrors that with a link to web/dist.
std::filesystem::path webRootOf(const ServerConfig& config, Poco::Util::Application& app) {
    if (config.webRoot) return *config.webRoot;
    return (serverDir(app) / ".." / "share" / "maestro" / "web").lexically_normal();
}

// The configured cap, lowered when the descriptor limit could not hold it beside what the
// rest of the server opens (database files per reader thread, terminals, logs, skills).
std::size_t connectionCap(std::size_t configured, Poco::Logger& logger) {
    constexpr rlim_t kReserved = 1024;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return configured;
    auto room = limit.rlim_cur > 2 * kReserved ? limit.rlim_cur - kReserved : limit.rlim_cur / 2;
    if (configured <= room) return configured;
    logger.warning("httpMaxConnections %z lowered to %z: the descriptor limit is %z", configured,
                   static_cast<std::size_t>(room), static_cast<std::size_t>(limit.rlim_cur));
    return static_cast<std::size_t>(room);
}

} // namespace

void CoreSubsystem::initialize(Poco::Util::Application& app) {
    const auto& config = configOf(app);
    db_ = store::Database::open(config.databaseUrl());
    services_ = std::make_unique<service::Services>(*db_, bus_);
    services_->feed.start();
    nodes_ = std::make_unique<service::NodeService>(
        *db_, service::NodeService::Self{config.nodeIdOrDefault(), config.advertisedUrl()},
        std::chrono::milliseconds(config.nodeDownAfterMs));
    nodes_->start();
    housekeeping_ = std::make_unique<Poco::Util::Timer>();
    constexpr long kEveryTenMinutes = 10 * 60 * 1000;
    housekeeping_->scheduleAtFixedRate(
        new HousekeepingTask(*services_, {config.eventLogDays, config.eventLogMaxEvents}), 1000,
        kEveryTenMinutes);
    housekeeping_->scheduleAtFixedRate(new HeartbeatTask(*nodes_), config.heartbeatMs,
                                       config.heartbeatMs);
    app.logger().information("node %s, advertised as %s", nodes_->self().id, nodes_->self().url);
}

void CoreSubsystem::uninitialize() {
    if (housekeeping_) housekeeping_->cancel(true);
    housekeeping_.reset();
    if (nodes_) {
        try {
            nodes_->stop();
        } catch (const std::exception& e) {
            Poco::Logger::get("host.store")
                .warning("cannot mark the node stopped: %s", std::string{e.what()});
        }
    }
    nodes_.reset();
    if (services_) services_->feed.stop();
    services_.reset();
    db_.reset();
}

void SkillsSubsystem::initialize(Poco::Util::Application& app) {
    const auto& config = configOf(app);
    core_ = &app.getSubsystem<CoreSubsystem>();
    auto cli = config.cliPath ? *config.cliPath : locateProgram(serverDir(app), "maestro", "cli");
    auto host = std::make_shared<ServerHostServices>(config.apiUrl(), config.port, config.home, cli,
                                                     config.token.value_or(""));
    skillhost::RegistryOptions options;
    options.roots = skillhost::skillRoots(config.home, std::getenv("MAESTRO_SKILLS_PATH"));
    cacheDir_ = config.home / "cache" / "skills" / std::to_string(Poco::Process::id());
    options.cacheDir = cacheDir_;
    registry_ = std::make_unique<skillhost::SkillRegistry>(host, options);
    announce(registry_->rescan());
    watcher_ = std::make_unique<skillhost::SkillWatcher>(
        *registry_, [this](const auto& changes) { announce(changes); });
    watcher_->start();
}

void SkillsSubsystem::uninitialize() {
    watcher_.reset();
    registry_.reset();
    std::error_code ec;
    std::filesystem::remove_all(cacheDir_, ec);
}

void SkillsSubsystem::announce(const std::vector<skillhost::SkillChange>& changes) {
    if (changes.empty()) return;
    auto& logger = Poco::Logger::get("host.skills");
    for (const auto& change : changes) {
        if (change.kind == skillhost::ChangeKind::Rejected)
            logger.warning("skill %s rejected: %s", change.id, change.reason);
        else
            logger.information("skill %s %s", change.id,
                               std::string(skillhost::toString(change.kind)));
    }
    try {
        core_->database().write([&](store::Transaction& tx) {
            for (const auto& change : changes) {
                std::ostringstream data;
                skillhost::toJson(change)->stringify(data);
                core_->services().recorder.record(tx, skillhost::eventType(change.kind), "",
                                                  data.str());
            }
        });
    } catch (const std::exception& e) {
        logger.error("cannot record skill events: %s", std::string(e.what()));
    }
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

void WorktreeSubsystem::initialize(Poco::Util::Application& app) {
    const auto& config = configOf(app);
    auto& core = app.getSubsystem<CoreSubsystem>();
    auto& logger = Poco::Logger::get("host.worktree");
    const char* path = std::getenv("PATH");
    auto executable = holder::findExecutable(config.git, path ? path : "/usr/bin:/bin", "/");
    if (executable.empty())
        logger.warning("git (%s) is not installed: sessions run in their project's directory",
                       config.git);
    git_ = std::make_unique<git::Git>(executable);

    auto& services = core.services();
    worktree::WorktreeConfig worktreeConfig;
    worktreeConfig.root = config.worktreesDir();
    worktrees_ = std::make_unique<worktree::WorktreeService>(
        *git_, core.database(), services.recorder, services.sessions, services.tasks,
        std::move(worktreeConfig));
    std::vector<domain::Project> projects;
    for (const auto& json : services.projects.list({}).items)
        projects.push_back(domain::projectFromJson(json));
    worktrees_->prune(projects);

    worktree::MonitorOptions options;
    options.pollInterval = std::chrono::milliseconds(config.worktreePollMs);
    monitor_ =
        std::make_unique<worktree::ChangeMonitor>(*worktrees_, services.sessions, *git_, options);
    bus_ = &core.bus();
    bus_->subscribe(*monitor_);
    monitor_->start();
}

void WorktreeSubsystem::uninitialize() {
    if (monitor_) {
        bus_->unsubscribe(*monitor_);
        monitor_->stop();
    }
    monitor_.reset();
    worktrees_.reset();
    git_.reset();
}

void SpawnSubsystem::initialize(Poco::Util::Application& app) {
    const auto& config = configOf(app);
    auto& services = app.getSubsystem<CoreSubsystem>().services();
    hub_ = &app.getSubsystem<WsSubsystem>().hub();

    spawn::SpawnerConfig spawnConfig;
    spawnConfig.apiUrl = config.apiUrl();
    spawnConfig.nodeId = app.getSubsystem<CoreSubsystem>().nodes().self().id;
    spawnConfig.sqlite =
        app.getSubsystem<CoreSubsystem>().database().backend() == store::Backend::Sqlite;
    spawnConfig.token = config.token;
    spawnConfig.home = config.home;
    if (const char* skillsPath = std::getenv("MAESTRO_SKILLS_PATH"))
        spawnConfig.skillsPath = skillsPath;
    spawnConfig.sessionsDir = config.sessionsDir();
    spawnConfig.holderProgram = locateProgram(serverDir(app), "maestro-session", "holder");
    spawnConfig.cliPath =
        config.cliPath ? *config.cliPath : locateProgram(serverDir(app), "maestro", "cli");
    spawnConfig.defaultCwd = Poco::Path::home();
    spawnConfig.watchActivity = config.watchActivity;
    spawnConfig.mode =
        config.spawner == "client" ? spawn::SpawnerMode::Client : spawn::SpawnerMode::Server;
    spawnConfig.claimTimeout = std::chrono::milliseconds(config.claimTimeoutMs);
    spawnConfig.profiles.load(config.agents);
    spawnConfig.profiles.setDefault(config.defaultAgent);
    worktrees_ = &app.getSubsystem<WorktreeSubsystem>().worktrees();
    spawner_ = std::make_unique<spawn::Spawner>(
        services, app.getSubsystem<SkillsSubsystem>().registry(), *worktrees_,
        std::move(spawnConfig),
        [hub = hub_](const std::string& id, std::uint64_t offset, std::string data) {
            hub->publishOutput(id, offset, std::move(data));
        });
    hub_->setTerminalBridge(&spawner_->supervisor());
    worktrees_->setStopSession([spawner = spawner_.get()](const std::string& id) {
        try {
            spawner->stop(id);
        } catch (const domain::ApiError&) {
            // It ended meanwhile.
        }
    });
    spawner_->recover();
    nodes_ = &app.getSubsystem<CoreSubsystem>().nodes();
    nodes_->countSessionsWith([&supervisor = spawner_->supervisor()] {
        return static_cast<std::int64_t>(supervisor.runningCount());
    });
    stopSessionsOnShutdown_ = config.stopSessionsOnShutdown;
    if (app.getSubsystem<CoreSubsystem>().database().backend() == store::Backend::Postgres) {
        nodeWatch_ = std::make_unique<Poco::Util::Timer>();
        nodeWatch_->scheduleAtFixedRate(new NodeWatchTask(services, *nodes_, *spawner_),
                                        config.heartbeatMs, config.heartbeatMs);
    }
}

void SpawnSubsystem::uninitialize() {
    if (nodeWatch_) nodeWatch_->cancel(true);
    nodeWatch_.reset();
    if (!spawner_) return;
    worktrees_->setStopSession(nullptr);
    hub_->setTerminalBridge(nullptr);
    nodes_->countSessionsWith(nullptr); // the supervisor it counted goes next
    // By default sessions outlive the server: their holders keep them, the next start
    // re-attaches.
    if (stopSessionsOnShutdown_) spawner_->stopAll();
    spawner_.reset();
}

void ClusterSubsystem::initialize(Poco::Util::Application& app) {
    auto& core = app.getSubsystem<CoreSubsystem>();
    routing_ = std::make_unique<cluster::Routing>(
        core.services(), core.nodes(), core.database().backend() != store::Backend::Sqlite,
        configOf(app).sessionsDir());
    peers_ = std::make_unique<cluster::PeerClient>(core.nodes().clusterSecret());
    hub_ = &app.getSubsystem<WsSubsystem>().hub();
    spawner_ = &app.getSubsystem<SpawnSubsystem>().spawner();
    relay_ = std::make_unique<cluster::TerminalRelay>(spawner_->supervisor(), *routing_,
                                                      core.nodes().clusterSecret(), *hub_);
    hub_->setTerminalBridge(relay_.get());
}

void ClusterSubsystem::uninitialize() {
    if (relay_) hub_->setTerminalBridge(&spawner_->supervisor());
    relay_.reset();
    peers_.reset();
    routing_.reset();
}

void HttpSubsystem::initialize(Poco::Util::Application& app) {
    const auto& config = configOf(app);
    auto& core = app.getSubsystem<CoreSubsystem>();
    auto& skills = app.getSubsystem<SkillsSubsystem>();

    http::RequestGuard::Config guard;
    guard.port = config.port;
    guard.hosts = config.allowedHosts;
    guard.hosts.insert(config.bind);
    guard.extraOrigins = config.allowedOrigins;
    guard.token = config.token;
    guard.clusterSecret = core.nodes().clusterSecret();
    guard_ = std::make_unique<http::RequestGuard>(std::move(guard));
    auto& cluster = app.getSubsystem<ClusterSubsystem>();
    api_ = std::make_unique<http::Api>(
        core.services(), core.nodes(), app.getSubsystem<SpawnSubsystem>().spawner(),
        cluster.routing(), cluster.peers(), app.getSubsystem<WorktreeSubsystem>().worktrees(),
        skills.registry(), [&skills](const auto& changes) { skills.announce(changes); });
    web_ = std::make_unique<http::StaticFiles>(webRootOf(config, app),
                                               http::StaticFiles::Options{config.webSourceMaps});

    dispatcher_ = std::make_unique<http::Dispatcher>(
        http::Dispatcher::Parts{api_->router(), *guard_, core.services().idempotency, *web_});
    http::ServerOptions options;
    options.maxConnections = connectionCap(config.httpMaxConnections, app.logger());
    options.headerTimeout = std::chrono::milliseconds(config.httpHeaderTimeoutMs);
    options.bodyTimeout = std::chrono::milliseconds(config.httpBodyTimeoutMs);
    options.idleTimeout = std::chrono::milliseconds(config.httpIdleTimeoutMs);
    options.sendTimeout = std::chrono::milliseconds(config.httpSendTimeoutMs);
    options.workers = static_cast<std::size_t>(config.httpThreads);
    server_ = std::make_unique<http::HttpServer>(serverOf(app).listener(), *dispatcher_,
                                                 app.getSubsystem<WsSubsystem>().hub(), options);
    server_->start();

    auto url = config.url();
    // The one line on stdout: scripts and tests read the port from it.
    std::cout << "maestro-server listening on " << url << std::endl;
    app.logger().information("listening on %s (home %s, web UI %s)", url, config.home.string(),
                             std::string{web_->available() ? "on" : "not built"});
}

void HttpSubsystem::uninitialize() {
    if (server_) server_->stop();
    server_.reset();
    dispatcher_.reset();
    api_.reset();
}

} // namespace maestro::host::app
