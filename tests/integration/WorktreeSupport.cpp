#include "WorktreeSupport.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace maestro::test {

namespace fs = std::filesystem;
using Poco::JSON::Object;

namespace {

std::string profile(const std::string& name, const std::string& command, const std::string& args) {
    return "\"" + name + "\":{\"command\":\"" + command + "\",\"args\":[" + args + "]}";
}

std::string worktreeAgents(const std::string& extra) {
    std::string fake = MAESTRO_FAKE_AGENT, editor = MAESTRO_EDITOR_AGENT;
    return "{\"agents\":{" + profile("env", fake, R"("env")") + "," +
           profile("sleep", fake, R"("sleep")") + "," +
           profile("edit-shared", editor, R"("shared.txt","changed by {sessionId}","--wait")") +
           "," + profile("edit-own", editor, R"("own/{sessionId}.txt","mine","--wait")") + "," +
           profile("edit-and-exit", editor, R"("shared.txt","changed by {sessionId}")") + "," +
           profile("commit-and-exit", editor,
                   R"("shared.txt","committed by {sessionId}","--commit","agent work")") +
           R"(},"defaultAgent":"env")" + extra + "}";
}

} // namespace

WorktreeServer::WorktreeServer(const std::string& extraConfig) : dir(std::make_unique<TempDir>()) {
    std::ofstream(dir->path() / "config.json") << worktreeAgents(extraConfig);
    fs::create_directories(dir->path() / "maestro-skills");
    repo = std::make_unique<GitRepo>(GitRepo::init(dir->path() / "repo"));
    repo->write("shared.txt", "line 1\nline 2\nline 3\n");
    repo->write("other.txt", "other\n");
    repo->commit("initial");
    start();
}

void WorktreeServer::start() {
    server = std::make_unique<TestServer>(
        dir->path(),
        TestServer::Options{{}, {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}}});
}

void WorktreeServer::restart() {
    server->stop();
    server.reset();
    start();
}

Object::Ptr object(const HttpResult& result) {
    return result.object();
}

std::string text(const Object::Ptr& object, const std::string& key) {
    return object->getValue<std::string>(key);
}

std::string createProject(HttpClient& http, const fs::path& workingDir,
                          const std::string& extraJson) {
    auto result = http.post("/api/projects", R"({"name":"Repo","workingDir":)" +
                                                 quote(workingDir.string()) + extraJson + "}");
    if (result.status != 201) throw std::runtime_error("project: " + result.body);
    return result.object()->getValue<std::string>("id");
}

std::string createTask(HttpClient& http, const std::string& projectId, const std::string& title) {
    auto result = http.post("/api/tasks",
                            R"({"projectId":")" + projectId + R"(","title":)" + quote(title) + "}");
    if (result.status != 201) throw std::runtime_error("task: " + result.body);
    return result.object()->getValue<std::string>("id");
}

HttpResult postSpawn(HttpClient& http, const std::string& taskId, const std::string& agent,
                     const std::string& extraJson) {
    return http.post("/api/sessions/spawn",
                     R"({"taskId":")" + taskId + R"(","agent":")" + agent + "\"" + extraJson + "}");
}

Object::Ptr spawnSession(HttpClient& http, const std::string& taskId, const std::string& agent,
                         const std::string& extraJson) {
    auto result = postSpawn(http, taskId, agent, extraJson);
    if (result.status != 201) throw std::runtime_error("spawn: " + result.body);
    return result.object()->getObject("session");
}

void type(HttpClient& http, const std::string& id, const std::string& line) {
    auto result =
        http.post("/api/sessions/" + id + "/input", R"({"data":)" + quote(line + "\n") + "}");
    if (result.status != 200) throw std::runtime_error("input: " + result.body);
}

Object::Ptr waitForChanges(HttpClient& http, const std::string& id,
                           const std::function<bool(const Object::Ptr&)>& ready) {
    Object::Ptr last;
    waitUntil(
        [&] {
            auto result = http.get("/api/sessions/" + id + "/changes");
            if (result.status != 200) return false;
            last = result.object();
            return ready(last);
        },
        std::chrono::seconds(10));
    return last;
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
    std::vector<std::string> out;
    for (std::size_t i = 0; array && i < array->size(); ++i)
        out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

std::vector<std::string> changedPaths(const Object::Ptr& changes) {
    std::vector<std::string> out;
    auto files = changes ? changes->getArray("files") : nullptr;
    for (std::size_t i = 0; files && i < files->size(); ++i)
        out.push_back(files->getObject(static_cast<unsigned>(i))->getValue<std::string>("path"));
    return out;
}

std::vector<std::string> sessionBranches(const GitRepo& repo) {
    std::istringstream text(
        repo.git({"for-each-ref", "--format=%(refname:lstrip=2)", "refs/heads/maestro/"}));
    std::vector<std::string> out;
    for (std::string line; std::getline(text, line);)
        out.push_back(line);
    return out;
}

} // namespace maestro::test
