#pragma once

#include "GitRepo.h"
#include "SessionSupport.h"
#include "TestServer.h"

#include <Poco/JSON/Object.h>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace maestro::test {

// A server whose agents edit files (tests/fixtures/agents/editor.sh) or report their
// environment (fake-agent.sh), with the default skills, and a git repository "repo" in its
// home with two committed files, shared.txt and other.txt.
struct WorktreeServer {
    explicit WorktreeServer(const std::string& extraConfig = {});
    void start();
    void restart();
    HttpClient client() const { return server->client(); }
    std::filesystem::path home() const { return dir->path(); }
    std::filesystem::path worktrees() const { return dir->path() / "worktrees"; }

    std::unique_ptr<TempDir> dir;
    std::unique_ptr<GitRepo> repo;
    std::unique_ptr<TestServer> server;
};

Poco::JSON::Object::Ptr object(const HttpResult& result);
// A string member of a JSON object.
std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key);
std::string createProject(HttpClient& http, const std::filesystem::path& workingDir,
                          const std::string& extraJson = {});
std::string createTask(HttpClient& http, const std::string& projectId,
                       const std::string& title = "Port the parser");
// POST /api/sessions/spawn for one task with an agent profile; the raw answer.
HttpResult postSpawn(HttpClient& http, const std::string& taskId, const std::string& agent,
                     const std::string& extraJson = {});
// postSpawn expecting 201; returns the session.
Poco::JSON::Object::Ptr spawnSession(HttpClient& http, const std::string& taskId,
                                     const std::string& agent, const std::string& extraJson = {});
// Types a line into the session's terminal.
void type(HttpClient& http, const std::string& id, const std::string& line);
// GET /api/sessions/:id/changes, polled until `ready` holds (10 s); the last answer.
Poco::JSON::Object::Ptr
waitForChanges(HttpClient& http, const std::string& id,
               const std::function<bool(const Poco::JSON::Object::Ptr&)>& ready);
// The paths of a change set.
std::vector<std::string> changedPaths(const Poco::JSON::Object::Ptr& changes);
std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array);
// The session branches (maestro/…) of a repository.
std::vector<std::string> sessionBranches(const GitRepo& repo);

} // namespace maestro::test
