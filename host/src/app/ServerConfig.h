#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/IPAddress.h>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

namespace maestro::host::app {

// A reason not to start that the user must fix — an unsafe home, an unsafe token file, a
// malformed config.json. maestro-server prints it and exits 78 (EX_CONFIG).
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Everything the server is told at start-up. Precedence: command line, then environment
// (MAESTRO_HOME), then <home>/config.json, then these defaults.
struct ServerConfig {
    std::filesystem::path home;  // ~/.agents-ui
    std::string database;        // sqlite:PATH or postgresql://…; empty: sqlite:<home>/maestro.db
    std::string nodeId;          // this server among those sharing a database; empty: host:port
    std::string advertiseUrl;    // where other nodes reach it; empty: apiUrl()
    int heartbeatMs = 2000;      // how often the node records that it is alive
    int nodeDownAfterMs = 10000; // a node silent this long is down
    std::string bind = "127.0.0.1";
    int port = 3000;                        // 0: any free port (printed at start-up)
    int httpThreads = 128;                  // threads that run request handlers
    std::size_t httpMaxConnections = 16384; // open connections beyond which new ones get 503
    int httpHeaderTimeoutMs = 10000;        // a request's head must arrive within this (408)
    int httpBodyTimeoutMs = 30000;          // its body within this after the head (408)
    int httpIdleTimeoutMs = 15000;          // a keep-alive connection with no request is closed
    int httpSendTimeoutMs = 30000;          // a client that reads nothing for this long is dropped
    std::set<std::string> allowedHosts;     // extra Host names (e.g. a LAN name when bound wider)
    std::set<std::string> allowedOrigins;   // extra Origins (e.g. "http://localhost:5173")
    std::optional<std::filesystem::path> webRoot; // built UI; default: next to the binary
    bool webSourceMaps = false;                   // serve the UI's source maps (.map)
    bool requireToken = false;                    // also require the token on loopback
    std::optional<std::string> token;             // set when bound beyond loopback or required
    bool loopback = true; // the bound address is a loopback address (set once bound)
    std::size_t wsMaxQueuedMessages = 8192; // per WebSocket client, before it is closed (4008)
    std::size_t wsMaxQueuedBytes = 32u << 20;
    std::int64_t eventLogDays = 30;           // events older than this are pruned (0: no limit)
    std::int64_t eventLogMaxEvents = 1000000; // at most this many are kept (0: no limit)
    std::string spawner = "server";           // "server": start sessions here; "client": a UI does
    std::string defaultAgent = "claude";
    int claimTimeoutMs = 60000;          // client spawner: unclaimed sessions fail after this
    bool stopSessionsOnShutdown = false; // else sessions outlive the server (their holders)
    Poco::JSON::Object::Ptr agents;      // agent profiles (spawn/AgentProfiles.h)
    std::optional<std::filesystem::path> cliPath; // the maestro binary given to sessions
    bool watchActivity = true;  // keep each session's screen and judge its activity
    std::string git = "git";    // the git program: a path, or a name looked up in PATH
    int worktreePollMs = 10000; // every live worktree is looked at this often at least

    // The database to open: `database`, or the SQLite file in the home directory.
    std::string databaseUrl() const;
    // nodeId, or this host's name and the port.
    std::string nodeIdOrDefault() const;
    // advertiseUrl, or apiUrl().
    std::string advertisedUrl() const;
    std::filesystem::path configFile() const { return home / "config.json"; }
    std::filesystem::path tokenFile() const { return home / "token"; }
    std::filesystem::path skillsDir() const { return home / "maestro-skills"; }
    std::filesystem::path sessionsDir() const { return home / "sessions"; }
    std::filesystem::path worktreesDir() const { return home / "worktrees"; }
    // http://bind:port, with IPv6 addresses in brackets.
    std::string url() const;
    // The base URL sessions and skills are given: the server itself, over loopback when it
    // listens on every address.
    std::string apiUrl() const;
};

// The default home: $MAESTRO_HOME, else $HOME/.agents-ui.
std::filesystem::path defaultHome();

// True for an address only this machine can reach: 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped
// into IPv6. Decided on the address a name resolved to, never on the name.
bool isLoopback(const Poco::Net::IPAddress& address);

// Creates the home (mode 0700) when it does not exist; an existing one is never changed, and
// refused (ConfigError) when it is not a directory, is owned by another user, or is writable
// by its group or others — anyone who can write there can replace the database, config.json
// (whose agent profiles are commands Maestro runs) or the skills.
void checkHome(const ServerConfig& config);

// Reads <home>/config.json over the given defaults; a malformed file, or one another user owns
// or may write, is a ConfigError that names the file and the problem (the server refuses to
// start rather than guess).
void loadConfigFile(ServerConfig& config);

// Creates the folders of the home that are missing (mode 0700).
void prepareHome(const ServerConfig& config);

// When a token is needed (bound beyond loopback, or requireToken), reads it from <home>/token,
// creating the file (mode 0600) with a new random token when it is missing or too short. A
// token file another user owns or that others may read is refused (ConfigError).
void prepareToken(ServerConfig& config);

} // namespace maestro::host::app
