#include "app/ServerConfig.h"

#include <Poco/Environment.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/RandomStream.h>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

namespace maestro::host::app {

namespace fs = std::filesystem;

bool ServerConfig::loopbackOnly() const {
    return bind == "127.0.0.1" || bind == "localhost" || bind == "::1" || bind.starts_with("127.");
}

std::string ServerConfig::url() const {
    auto host = bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
    return "http://" + host + ":" + std::to_string(port);
}

std::string ServerConfig::apiUrl() const {
    if (bind == "0.0.0.0" || bind == "::") return "http://127.0.0.1:" + std::to_string(port);
    return url();
}

std::string ServerConfig::databaseUrl() const {
    if (!database.empty()) return database;
    return "sqlite:" + (home / "maestro.db").string();
}

std::string ServerConfig::nodeIdOrDefault() const {
    if (!nodeId.empty()) return nodeId;
    return Poco::Environment::nodeName() + ":" + std::to_string(port);
}

std::string ServerConfig::advertisedUrl() const {
    return advertiseUrl.empty() ? apiUrl() : advertiseUrl;
}

fs::path defaultHome() {
    if (Poco::Environment::has("MAESTRO_HOME") && !Poco::Environment::get("MAESTRO_HOME").empty())
        return fs::path(Poco::Environment::get("MAESTRO_HOME"));
    return fs::path(Poco::Path::home()) / ".agents-ui";
}

void loadConfigFile(ServerConfig& config) {
    auto file = config.configFile();
    std::ifstream in(file);
    if (!in) return; // no file: defaults
    std::ostringstream text;
    text << in.rdbuf();
    try {
        Poco::JSON::Parser parser;
        auto root = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
        if (root->has("port")) config.port = root->getValue<int>("port");
        if (root->has("bind")) config.bind = root->getValue<std::string>("bind");
        if (root->has("database")) config.database = root->getValue<std::string>("database");
        if (root->has("nodeId")) config.nodeId = root->getValue<std::string>("nodeId");
        if (root->has("advertiseUrl"))
            config.advertiseUrl = root->getValue<std::string>("advertiseUrl");
        if (root->has("httpThreads")) config.httpThreads = root->getValue<int>("httpThreads");
        if (root->has("httpMaxConnections"))
            config.httpMaxConnections = root->getValue<std::size_t>("httpMaxConnections");
        for (auto [key, value] : {std::pair{"httpHeaderTimeoutMs", &config.httpHeaderTimeoutMs},
                                  std::pair{"httpBodyTimeoutMs", &config.httpBodyTimeoutMs},
                                  std::pair{"httpIdleTimeoutMs", &config.httpIdleTimeoutMs},
                                  std::pair{"httpSendTimeoutMs", &config.httpSendTimeoutMs},
                                  std::pair{"heartbeatMs", &config.heartbeatMs},
                                  std::pair{"nodeDownAfterMs", &config.nodeDownAfterMs}}) {
            if (root->has(key)) *value = root->getValue<int>(key);
            if (*value < 1 || *value > 86'400'000)
                throw std::runtime_error(file.string() + ": " + key + " must be 1-86400000");
        }
        if (root->has("webRoot")) config.webRoot = root->getValue<std::string>("webRoot");
        if (root->has("requireToken")) config.requireToken = root->getValue<bool>("requireToken");
        if (root->has("webSourceMaps"))
            config.webSourceMaps = root->getValue<bool>("webSourceMaps");
        if (root->has("wsMaxQueuedMessages"))
            config.wsMaxQueuedMessages = root->getValue<std::size_t>("wsMaxQueuedMessages");
        if (root->has("wsMaxQueuedBytes"))
            config.wsMaxQueuedBytes = root->getValue<std::size_t>("wsMaxQueuedBytes");
        if (root->has("eventLogDays"))
            config.eventLogDays = root->getValue<std::int64_t>("eventLogDays");
        if (root->has("eventLogMaxEvents"))
            config.eventLogMaxEvents = root->getValue<std::int64_t>("eventLogMaxEvents");
        if (root->has("spawner")) config.spawner = root->getValue<std::string>("spawner");
        if (root->has("defaultAgent"))
            config.defaultAgent = root->getValue<std::string>("defaultAgent");
        if (root->has("claimTimeoutMs"))
            config.claimTimeoutMs = root->getValue<int>("claimTimeoutMs");
        if (root->has("cliPath")) config.cliPath = root->getValue<std::string>("cliPath");
        if (root->has("watchActivity"))
            config.watchActivity = root->getValue<bool>("watchActivity");
        if (root->has("git")) config.git = root->getValue<std::string>("git");
        if (root->has("worktreePollMs")) {
            config.worktreePollMs = root->getValue<int>("worktreePollMs");
            if (config.worktreePollMs < 100 || config.worktreePollMs > 3'600'000)
                throw std::runtime_error(file.string() + ": worktreePollMs must be 100-3600000");
        }
        if (root->has("stopSessionsOnShutdown"))
            config.stopSessionsOnShutdown = root->getValue<bool>("stopSessionsOnShutdown");
        if (root->has("agents")) {
            config.agents = root->getObject("agents");
            if (!config.agents)
                throw std::runtime_error(file.string() + ": \"agents\" must be an object");
        }
        auto strings = [&root](const std::string& key, std::set<std::string>& into) {
            if (auto array = root->getArray(key))
                for (std::size_t i = 0; i < array->size(); ++i)
                    into.insert(array->getElement<std::string>(static_cast<unsigned>(i)));
        };
        strings("allowedHosts", config.allowedHosts);
        strings("allowedOrigins", config.allowedOrigins);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(file.string() + ": " + e.displayText());
    }
    if (config.port < 0 || config.port > 65535)
        throw std::runtime_error(file.string() + ": port must be 0-65535");
    if (config.spawner != "server" && config.spawner != "client")
        throw std::runtime_error(file.string() + ": spawner must be \"server\" or \"client\"");
    if (config.eventLogDays < 0 || config.eventLogMaxEvents < 0)
        throw std::runtime_error(
            file.string() + ": eventLogDays and eventLogMaxEvents must be 0 (no limit) or more");
    if (config.httpThreads < 4 || config.httpThreads > 4096)
        throw std::runtime_error(file.string() + ": httpThreads must be 4-4096");
    if (config.httpMaxConnections < 1 || config.httpMaxConnections > 1'000'000)
        throw std::runtime_error(file.string() + ": httpMaxConnections must be 1-1000000");
}

void prepareHome(ServerConfig& config) {
    for (const auto& dir :
         {config.home, config.skillsDir(), config.sessionsDir(), config.worktreesDir()}) {
        fs::create_directories(dir);
        fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    }
    if (config.loopbackOnly() && !config.requireToken) return;

    auto file = config.tokenFile();
    std::ifstream in(file);
    std::string token;
    if (in && std::getline(in, token) && token.size() >= 32) {
        config.token = token;
        return;
    }
    unsigned char bytes[32];
    Poco::RandomInputStream random;
    random.read(reinterpret_cast<char*>(bytes), sizeof bytes);
    std::ostringstream hex;
    for (auto b : bytes)
        hex << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(b);
    token = hex.str();
    auto old = ::umask(077);
    std::ofstream(file) << token << '\n';
    ::umask(old);
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
    config.token = token;
}

} // namespace maestro::host::app
