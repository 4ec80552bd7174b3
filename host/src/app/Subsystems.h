#pragma once

#include "app/ServerHostServices.h"
#include "cluster/PeerClient.h"
#include "cluster/Routing.h"
#include "cluster/TerminalRelay.h"
#include "http/Api.h"
#include "http/Dispatcher.h"
#include "http/HttpServer.h"
#include "http/RequestGuard.h"
#include "http/StaticFiles.h"
#include "service/EventBus.h"
#include "service/NodeService.h"
#include "service/Services.h"
#include "skillhost/SkillRegistry.h"
#include "skillhost/SkillWatcher.h"
#include "spawn/Spawner.h"
#include "store/Database.h"
#include "worktree/ChangeMonitor.h"
#include "worktree/WorktreeService.h"
#include "ws/Hub.h"

#include <Poco/Util/Subsystem.h>
#include <Poco/Util/Timer.h>
#include <memory>

namespace maestro::host::app {

// The parts of the server, started in the order the application adds them (core, skills, ws,
// worktrees, spawn, cluster, http) and stopped in reverse: the HTTP server stops taking
// requests, then the cluster's routing goes, then
// the spawner lets go of the sessions' holders (or, with stopSessionsOnShutdown, stops the
// sessions, their exits still recorded and announced), then the change monitor stops, then the
// hub closes its connections, then skills unload, and the database closes last.

// The database, the event bus, every service, and this server as a node (registered at
// start, heartbeating on the housekeeping timer, marked stopped at the end).
class CoreSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "core"; }
    store::Database& database() { return *db_; }
    service::EventBus& bus() { return bus_; }
    service::Services& services() { return *services_; }
    service::NodeService& nodes() { return *nodes_; }

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    std::unique_ptr<store::Database> db_;
    service::EventBus bus_;
    std::unique_ptr<service::Services> services_;
    std::unique_ptr<service::NodeService> nodes_;
    std::unique_ptr<Poco::Util::Timer> housekeeping_;
};

// Skills: loaded at start-up, watched for drop-ins, changes announced as skill:* events.
class SkillsSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "skills"; }
    skillhost::SkillRegistry& registry() { return *registry_; }
    // Records skill:* events for what a rescan or reload changed.
    void announce(const std::vector<skillhost::SkillChange>& changes);

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    CoreSubsystem* core_ = nullptr;
    std::filesystem::path cacheDir_;
    std::unique_ptr<skillhost::SkillRegistry> registry_;
    std::unique_ptr<skillhost::SkillWatcher> watcher_;
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

// Session worktrees: git, the worktree service, and the monitor that keeps live sessions'
// change sets current (it follows the sessions through the event bus).
class WorktreeSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "worktrees"; }
    worktree::WorktreeService& worktrees() { return *worktrees_; }

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    service::EventBus* bus_ = nullptr;
    std::unique_ptr<git::Git> git_;
    std::unique_ptr<worktree::WorktreeService> worktrees_;
    std::unique_ptr<worktree::ChangeMonitor> monitor_;
};

// Session processes: the spawner and its supervisor, the hub's terminal bridge. At start it
// re-attaches to the sessions a previous server left running; with nodes sharing PostgreSQL it
// marks the sessions of nodes that stopped heartbeating lost, and takes its own back.
class SpawnSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "spawn"; }
    spawn::Spawner& spawner() { return *spawner_; }

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    ws::Hub* hub_ = nullptr;
    service::NodeService* nodes_ = nullptr;
    worktree::WorktreeService* worktrees_ = nullptr;
    std::unique_ptr<spawn::Spawner> spawner_;
    std::unique_ptr<Poco::Util::Timer> nodeWatch_; // with nodes sharing PostgreSQL
    bool stopSessionsOnShutdown_ = false;
};

// This server among the nodes sharing its database: where spawns and sessions' terminals
// are, the client that forwards requests to the other nodes, and the hub's terminal bridge
// that relays the terminals of sessions on other nodes.
class ClusterSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "cluster"; }
    cluster::Routing& routing() { return *routing_; }
    const cluster::PeerClient& peers() { return *peers_; }

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    ws::Hub* hub_ = nullptr;
    spawn::Spawner* spawner_ = nullptr;
    std::unique_ptr<cluster::Routing> routing_;
    std::unique_ptr<cluster::PeerClient> peers_;
    std::unique_ptr<cluster::TerminalRelay> relay_;
};

// The HTTP server: API routes, WebSocket upgrades and the web UI on one port.
class HttpSubsystem : public Poco::Util::Subsystem {
public:
    const char* name() const override { return "http"; }

protected:
    void initialize(Poco::Util::Application& app) override;
    void uninitialize() override;

private:
    std::unique_ptr<http::Api> api_;
    std::unique_ptr<http::RequestGuard> guard_;
    std::unique_ptr<http::StaticFiles> web_;
    std::unique_ptr<http::Dispatcher> dispatcher_;
    std::unique_ptr<http::HttpServer> server_;
};

} // namespace maestro::host::app
