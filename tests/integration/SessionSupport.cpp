#include "SessionSupport.h"

#include <fstream>
#include <stdexcept>

namespace maestro::test {

namespace fs = std::filesystem;

namespace {

// Claude Code's stand-in, started the way the built-in claude profile starts Claude Code: with
// the hooks settings Maestro writes.
std::string fakeClaude(const std::string& more) {
    auto script = fs::path(MAESTRO_FAKE_AGENT).parent_path() / "fake-claude.sh";
    return R"("claude-fake":{"command":")" + script.string() +
           R"(","args":["--settings","{hooksFile}","--","{brief}"],"hooks":"claude")" + more + "}";
}

} // namespace

std::string agentsConfig(const std::string& extra) {
    std::string fake = MAESTRO_FAKE_AGENT;
    auto profile = [&fake](const std::string& name, const std::string& args,
                           const std::string& more = {}) {
        return "\"" + name + "\":{\"command\":\"" + fake + "\",\"args\":[" + args + "]" + more +
               "}";
    };
    // Activity judged quickly, so the tests wait tenths of seconds rather than the defaults.
    const std::string quick = R"(,"idleAfterMs":400,"startTimeoutMs":600)";
    return "{\"agents\":{" + profile("env", R"("env","{taskId}","{sessionId}")") + "," +
           profile("ok", R"("exit","0")") + "," + profile("fail", R"("exit","3")") + "," +
           profile("echo", R"("echo")") + "," + profile("sleep", R"("sleep")") + "," +
           profile("stubborn", R"("stubborn")") + "," + profile("burst", R"("burst","2000")") +
           "," + profile("count", R"("count","400")") + "," +
           profile("tick", R"("count","1000000","0.1")") + "," +
           profile("await", R"("await","exit-now","3")") + "," +
           profile("immortal", R"("immortal")") + "," + profile("prompt", R"("prompt")", quick) +
           "," + profile("quiet", R"("quiet")", quick) + "," +
           profile("silent", R"("silent")", quick) + "," + profile("asks", R"("asks")", quick) +
           "," + profile("fullscreen", R"("fullscreen")") + "," + fakeClaude(quick) +
           R"(,"missing":{"command":"no-such-agent-binary"}},"defaultAgent":"ok")" + extra + "}";
}

SessionServer::SessionServer(const std::string& extraConfig) : home(std::make_unique<TempDir>()) {
    std::ofstream(home->path() / "config.json") << agentsConfig(extraConfig);
    fs::create_directories(home->path() / "maestro-skills");
    fs::create_directories(project());
    start();
}

void SessionServer::start(const std::string& binary) {
    TestServer::Options options;
    options.env = {{"MAESTRO_SKILLS_PATH", MAESTRO_DEFAULT_SKILLS_DIR}};
    options.binary = binary;
    server.reset();
    server = std::make_unique<TestServer>(home->path(), options);
}

Setup projectWithTask(HttpClient& http, const fs::path& workingDir) {
    Setup setup;
    auto project = http.post("/api/projects",
                             R"({"name":"Spawn","workingDir":")" + workingDir.string() + R"("})");
    setup.project = project.object()->getValue<std::string>("id");
    auto task =
        http.post("/api/tasks",
                  R"({"projectId":")" + setup.project +
                      R"(","title":"Port the parser","description":"Rewrite parser.c in C++20."})");
    setup.task = task.object()->getValue<std::string>("id");
    return setup;
}

Watched::Watched() : ws(s.server->port()) {
    ws.receive();
}

std::string spawn(HttpClient& http, const std::string& task, const std::string& agent,
                  const std::string& extra) {
    auto result = http.post("/api/sessions/spawn", R"({"taskId":")" + task + R"(","agent":")" +
                                                       agent + "\"" + extra + "}");
    if (result.status != 201) throw std::runtime_error("spawn: " + result.body);
    return result.object()->getValue<std::string>("sessionId");
}

Poco::JSON::Object::Ptr session(HttpClient& http, const std::string& id) {
    return http.get("/api/sessions/" + id).object();
}

bool waitForStatus(HttpClient& http, const std::string& id, const std::string& status,
                   std::chrono::milliseconds timeout) {
    return waitUntil([&] { return session(http, id)->getValue<std::string>("status") == status; },
                     timeout);
}

std::string output(HttpClient& http, const std::string& id) {
    return http.get("/api/sessions/" + id + "/output").object()->getValue<std::string>("data");
}

bool waitForOutput(HttpClient& http, const std::string& id, const std::string& needle,
                   std::chrono::milliseconds timeout) {
    return waitUntil([&] { return output(http, id).find(needle) != std::string::npos; }, timeout);
}

std::vector<Poco::JSON::Object::Ptr> attentionItems(HttpClient& http, const std::string& query) {
    auto result = http.get("/api/attention" + query);
    std::vector<Poco::JSON::Object::Ptr> items;
    if (result.status != 200) return items;
    auto array = result.array();
    for (std::size_t i = 0; i < array->size(); ++i)
        items.push_back(array->getObject(static_cast<unsigned>(i)));
    return items;
}

Poco::JSON::Object::Ptr attentionItem(HttpClient& http, const std::string& kind,
                                      const std::string& subject) {
    for (const auto& item : attentionItems(http)) {
        auto on = item->has("sessionId") && !item->isNull("sessionId")
                      ? item->getValue<std::string>("sessionId")
                      : item->getValue<std::string>("taskId");
        if (item->getValue<std::string>("kind") == kind && on == subject) return item;
    }
    return nullptr;
}

bool waitForItem(HttpClient& http, const std::string& kind, const std::string& subject,
                 std::chrono::milliseconds timeout) {
    return waitUntil([&] { return attentionItem(http, kind, subject) != nullptr; }, timeout);
}

bool waitForNoItem(HttpClient& http, const std::string& kind, const std::string& subject) {
    return waitUntil([&] { return attentionItem(http, kind, subject) == nullptr; },
                     std::chrono::seconds(10));
}

bool attentionChanged(WsClient& ws, const std::string& project) {
    return ws
        .receiveUntil([&](const Poco::JSON::Object::Ptr& m) {
            return m->getValue<std::string>("type") == "attention:changed" &&
                   m->getObject("data")->getValue<std::string>("projectId") == project;
        })
        .has_value();
}

} // namespace maestro::test
