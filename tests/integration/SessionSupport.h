#pragma once

// What the session tests share: a server whose agent profiles run
// tests/fixtures/agents/fake-agent.sh in its modes, and helpers to spawn and watch sessions.
#include "TestServer.h"
#include "WsClient.h"

#include <Poco/JSON/Object.h>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace maestro::test {

// config.json's agent profiles ("ok", "echo", "sleep", "count", …, and for activity "prompt",
// "quiet", "silent", "asks" with idleAfterMs 400 and startTimeoutMs 600) plus `extra` keys (text
// that starts with a comma).
std::string agentsConfig(const std::string& extra = {});

// A server whose home has the fake agents and the default skills (from the build tree).
struct SessionServer {
    explicit SessionServer(const std::string& extraConfig = {});
    // (Re)starts the server on the same home.
    void start(const std::string& binary = MAESTRO_SERVER_BIN);
    std::filesystem::path project() const { return home->path() / "work"; }
    std::filesystem::path sessionDir(const std::string& id) const {
        return home->path() / "sessions" / id;
    }
    HttpClient client() const { return server->client(); }

    std::unique_ptr<TempDir> home;
    std::unique_ptr<TestServer> server;
};

struct Setup {
    std::string project, task;
};
Setup projectWithTask(HttpClient& http, const std::filesystem::path& workingDir);

// A SessionServer with a project and a task, and a WebSocket client past its greeting.
struct Watched {
    Watched();
    SessionServer s;
    HttpClient http = s.client();
    Setup setup = projectWithTask(http, s.project());
    WsClient ws;
};

// Spawns a session running agent profile `agent`; returns its id. `extra`: more body fields.
std::string spawn(HttpClient& http, const std::string& task, const std::string& agent,
                  const std::string& extra = {});
Poco::JSON::Object::Ptr session(HttpClient& http, const std::string& id);
bool waitForStatus(HttpClient& http, const std::string& id, const std::string& status,
                   std::chrono::milliseconds timeout = std::chrono::seconds(15));
// The session's output from offset 0 (at most the server's page, 1 MiB).
std::string output(HttpClient& http, const std::string& id);
bool waitForOutput(HttpClient& http, const std::string& id, const std::string& needle,
                   std::chrono::milliseconds timeout = std::chrono::seconds(15));

// GET /api/attention with `query`: its items (none when it fails).
std::vector<Poco::JSON::Object::Ptr> attentionItems(HttpClient& http,
                                                    const std::string& query = {});
// The inbox's item of this kind about this session or task, or null.
Poco::JSON::Object::Ptr attentionItem(HttpClient& http, const std::string& kind,
                                      const std::string& subject);
bool waitForItem(HttpClient& http, const std::string& kind, const std::string& subject,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
bool waitForNoItem(HttpClient& http, const std::string& kind, const std::string& subject);
// Reads `ws` until attention:changed for the project arrives (false: its deadline passed).
bool attentionChanged(WsClient& ws, const std::string& project);

} // namespace maestro::test
