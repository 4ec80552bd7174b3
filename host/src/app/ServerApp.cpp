#include "app/ServerApp.h"

#include "app/Subsystems.h"
#include "maestro_version.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Environment.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <iostream>
#include <sys/resource.h>

namespace maestro::host::app {

using Poco::Util::Option;

namespace {

// Every connection is a descriptor, and the usual soft limit (1024) would stop the server
// long before its connection cap: take everything the hard limit allows.
void raiseDescriptorLimit(Poco::Logger& logger) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    auto soft = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
        logger.warning("cannot raise the descriptor limit from %z", static_cast<std::size_t>(soft));
}

} // namespace

void ServerApp::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "Show this help and exit."));
    options.addOption(Option("version", "", "Print the version and exit."));
    options.addOption(Option("port", "p", "Port to listen on (0 picks a free one; default 3000).")
                          .argument("N")
                          .validator(new Poco::Util::IntValidator(0, 65535)));
    options.addOption(Option("bind", "b",
                             "Address to bind (default 127.0.0.1). Beyond loopback a "
                             "bearer token from <home>/token is required.")
                          .argument("ADDR"));
    options.addOption(Option("home", "", "Data directory (default $MAESTRO_HOME or ~/.agents-ui).")
                          .argument("DIR"));
    options.addOption(Option("database", "",
                             "sqlite:PATH (default sqlite:<home>/maestro.db) or "
                             "postgresql://user:password@host:port/dbname.")
                          .argument("URL"));
    options.addOption(Option("node-id", "",
                             "This server's name among those sharing a database "
                             "(default host name:port).")
                          .argument("ID"));
    options.addOption(
        Option("advertise-url", "",
               "Where the other nodes reach this one (default http://ADDR:PORT it listens on).")
            .argument("URL"));
}

void ServerApp::handleOption(const std::string& name, const std::string& value) {
    ServerApplication::handleOption(name, value);
    if (name == "help") {
        Poco::Util::HelpFormatter help(options());
        help.setCommand(commandName());
        help.setUsage("[--port N] [--bind ADDR] [--home DIR] [--database URL] [--node-id ID] "
                      "[--advertise-url URL]");
        help.setHeader(
            "Maestro server: projects, tasks, agent sessions and skills over HTTP and WebSocket.");
        help.format(std::cout);
        exitEarly_ = true;
        stopOptionsProcessing();
    } else if (name == "version") {
        std::cout << "maestro-server " << kVersion << std::endl;
        exitEarly_ = true;
        stopOptionsProcessing();
    } else if (name == "port") {
        portOption_ = std::stoi(value);
    } else if (name == "bind") {
        bindOption_ = value;
    } else if (name == "home") {
        homeOption_ = value;
    } else if (name == "database") {
        databaseOption_ = value;
    } else if (name == "node-id") {
        nodeIdOption_ = value;
    } else if (name == "advertise-url") {
        advertiseUrlOption_ = value;
    }
}

void ServerApp::configureLogging() {
    Poco::AutoPtr<Poco::PatternFormatter> format(
        new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t"));
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel(std::cerr));
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, console));
    auto level = Poco::Environment::get("MAESTRO_LOG_LEVEL", "information");
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(level);
    logger().setChannel(channel);
    logger().setLevel(level);
}

void ServerApp::initialize(Poco::Util::Application& self) {
    if (exitEarly_) return;
    configureLogging();
    raiseDescriptorLimit(logger());
    config_.home = homeOption_ ? std::filesystem::path(*homeOption_) : defaultHome();
    checkHome(config_);
    loadConfigFile(config_);
    if (portOption_) config_.port = *portOption_;
    if (bindOption_) config_.bind = *bindOption_;
    if (databaseOption_) config_.database = *databaseOption_;
    if (nodeIdOption_) config_.nodeId = *nodeIdOption_;
    if (advertiseUrlOption_) config_.advertiseUrl = *advertiseUrlOption_;
    prepareHome(config_);
    // SO_REUSEADDR lets a restarted server take its port back at once; not SO_REUSEPORT,
    // which would let a second server share the port (and split clients between databases).
    const bool reuseAddress = true, reusePort = false;
    listener_.bind(Poco::Net::SocketAddress(config_.bind, static_cast<Poco::UInt16>(config_.port)),
                   reuseAddress, reusePort);
    // A burst of new connections waits in the kernel's queue until the HTTP loop accepts it;
    // one that finds the queue full is dropped and its client retries only a second later.
    // The kernel caps the queue at net.core.somaxconn (4096 by default).
    listener_.listen(4096);
    config_.port = listener_.address().port();
    // Whether a token is needed is decided on the address the name resolved to and the socket
    // is bound to: "127.example.com" may resolve anywhere.
    config_.loopback = isLoopback(listener_.address().host());
    prepareToken(config_);

    addSubsystem(new CoreSubsystem);
    addSubsystem(new SkillsSubsystem);
    addSubsystem(new WsSubsystem);
    addSubsystem(new WorktreeSubsystem);
    addSubsystem(new SpawnSubsystem);
    addSubsystem(new ClusterSubsystem);
    addSubsystem(new HttpSubsystem);
    ServerApplication::initialize(self);
}

int ServerApp::main(const ArgVec&) {
    if (exitEarly_) return EXIT_OK;
    waitForTerminationRequest();
    logger().information("shutting down");
    return EXIT_OK;
}

} // namespace maestro::host::app
