#include "app/ServerConfig.h"

#include <Poco/Environment.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/RandomStream.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iomanip>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace maestro::host::app {

namespace fs = std::filesystem;

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

namespace {

std::string octalMode(const struct stat& info) {
    std::ostringstream text;
    text << std::oct << std::setw(4) << std::setfill('0') << (info.st_mode & 07777);
    return text.str();
}

std::string ownedByAnother(const std::string& what, const struct stat& info) {
    return what + " is owned by uid " + std::to_string(info.st_uid) +
           ", not by the user running maestro-server (uid " + std::to_string(::geteuid()) + ")";
}

// Closes the descriptor however the block is left.
struct FileDescriptor {
    int fd;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

bool isLoopback(const Poco::Net::IPAddress& address) {
    if (address.isLoopback()) return true;
    if (address.family() != Poco::Net::IPAddress::IPv6 || !address.isIPv4Mapped()) return false;
    const auto* bytes = static_cast<const in6_addr*>(address.addr())->s6_addr;
    return bytes[12] == 127; // ::ffff:127.x.y.z
}

void checkHome(const ServerConfig& config) {
    fs::path home = config.home;
    if (!home.has_filename()) home = home.parent_path(); // "dir/"
    std::error_code ec;
    if (home.has_parent_path()) fs::create_directories(home.parent_path(), ec);
    if (ec) throw ConfigError("cannot create " + home.parent_path().string() + ": " + ec.message());
    if (::mkdir(home.c_str(), 0700) != 0 && errno != EEXIST)
        throw ConfigError("cannot create the home " + home.string() + ": " + std::strerror(errno));
    struct stat info {};
    if (::stat(home.c_str(), &info) != 0)
        throw ConfigError("cannot read the home " + home.string() + ": " + std::strerror(errno));
    if (!S_ISDIR(info.st_mode))
        throw ConfigError("the home " + home.string() + " is not a directory");
    const std::string advice = "; refusing to start: whoever can write there can replace the "
                               "database, config.json and the skills";
    if (info.st_uid != ::geteuid())
        throw ConfigError(ownedByAnother("the home " + home.string(), info) + advice +
                          " (use a home of your own: --home DIR or MAESTRO_HOME)");
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        throw ConfigError("the home " + home.string() +
                          " is writable by its group or others (mode " + octalMode(info) + ")" +
                          advice +
                          " (chmod go-w it, or use another home: --home DIR or MAESTRO_HOME)");
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
    // Its agent profiles are commands Maestro runs: only the user may write it.
    if (struct stat info{}; ::stat(file.c_str(), &info) == 0) {
        if (info.st_uid != ::geteuid())
            throw ConfigError(ownedByAnother(file.string(), info) + "; refusing to start");
        if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0)
            throw ConfigError(file.string() + " is writable by its group or others (mode " +
                              octalMode(info) + "); refusing to start (chmod go-w it)");
    }
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
                throw ConfigError(file.string() + ": " + key + " must be 1-86400000");
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
                throw ConfigError(file.string() + ": worktreePollMs must be 100-3600000");
        }
        if (root->has("stopSessionsOnShutdown"))
            config.stopSessionsOnShutdown = root->getValue<bool>("stopSessionsOnShutdown");
        if (root->has("agents")) {
            config.agents = root->getObject("agents");
            if (!config.agents) throw ConfigError(file.string() + ": \"agents\" must be an object");
        }
        auto strings = [&root](const std::string& key, std::set<std::string>& into) {
            if (auto array = root->getArray(key))
                for (std::size_t i = 0; i < array->size(); ++i)
                    into.insert(array->getElement<std::string>(static_cast<unsigned>(i)));
        };
        strings("allowedHosts", config.allowedHosts);
        strings("allowedOrigins", config.allowedOrigins);
    } catch (const Poco::Exception& e) {
        throw ConfigError(file.string() + ": " + e.displayText());
    }
    if (config.port < 0 || config.port > 65535)
        throw ConfigError(file.string() + ": port must be 0-65535");
    if (config.spawner != "server" && config.spawner != "client")
        throw ConfigError(file.string() + ": spawner must be \"server\" or \"client\"");
    if (config.eventLogDays < 0 || config.eventLogMaxEvents < 0)
        throw ConfigError(file.string() +
                          ": eventLogDays and eventLogMaxEvents must be 0 (no limit) or more");
    if (config.httpThreads < 4 || config.httpThreads > 4096)
        throw ConfigError(file.string() + ": httpThreads must be 4-4096");
    if (config.httpMaxConnections < 1 || config.httpMaxConnections > 1'000'000)
        throw ConfigError(file.string() + ": httpMaxConnections must be 1-1000000");
}

void prepareHome(const ServerConfig& config) {
    for (const auto& dir : {config.skillsDir(), config.sessionsDir(), config.worktreesDir()}) {
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
            throw ConfigError("cannot create " + dir.string() + ": " + std::strerror(errno));
    }
}

void prepareToken(ServerConfig& config) {
    if (config.loopback && !config.requireToken) return;

    auto file = config.tokenFile();
    FileDescriptor token{::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)};
    struct stat info {};
    if (token.fd < 0 || ::fstat(token.fd, &info) != 0)
        throw ConfigError("cannot open the token file " + file.string() + ": " +
                          std::strerror(errno));
    if (info.st_uid != ::geteuid())
        throw ConfigError(ownedByAnother("the token file " + file.string(), info) +
                          "; refusing to start");
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        throw ConfigError("the token file " + file.string() +
                          " is open to its group or others (mode " + octalMode(info) +
                          "); refusing to start: the token may have leaked (delete the file for "
                          "a new token, or chmod 600 it)");

    std::string text(128, '\0');
    auto got = ::pread(token.fd, text.data(), text.size(), 0);
    text.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    if (auto end = text.find_first_of("\r\n"); end != std::string::npos) text.resize(end);
    if (text.size() >= 32) {
        config.token = text;
        return;
    }
    unsigned char bytes[32];
    Poco::RandomInputStream random;
    random.read(reinterpret_cast<char*>(bytes), sizeof bytes);
    std::ostringstream hex;
    for (auto b : bytes)
        hex << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(b);
    text = hex.str() + "\n";
    if (::ftruncate(token.fd, 0) != 0 ||
        ::pwrite(token.fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
        throw ConfigError("cannot write the token file " + file.string() + ": " +
                          std::strerror(errno));
    text.pop_back();
    config.token = text;
}

} // namespace maestro::host::app
