// What each session's agent is doing: the screen (libvterm) and activity judged from it, from
// the output's timing and from the agent's own word. Real agents (shell scripts) in real
// pseudo-terminals under the real server.
#include "SessionSupport.h"
#include "WsClient.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

using namespace maestro::test;
using Poco::JSON::Object;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string activityOf(HttpClient& http, const std::string& id) {
    return session(http, id)->getValue<std::string>("activity");
}

bool waitForActivity(HttpClient& http, const std::string& id, const std::string& activity,
                     std::chrono::milliseconds timeout = 10s) {
    return waitUntil([&] { return activityOf(http, id) == activity; }, timeout);
}

// The next session:activity event for `id` announcing `activity`.
std::optional<Object::Ptr> activityEvent(WsClient& ws, const std::string& id,
                                         const std::string& activity,
                                         std::chrono::milliseconds timeout = 10s) {
    auto message = ws.receiveUntil(
        [&](const Object::Ptr& m) {
            if (m->getValue<std::string>("type") != "session:activity") return false;
            auto data = m->getObject("data");
            return data->getValue<std::string>("sessionId") == id &&
                   data->getValue<std::string>("activity") == activity;
        },
        timeout);
    if (!message) return std::nullopt;
    return (*message)->getObject("data");
}

std::vector<std::string> screenLines(HttpClient& http, const std::string& id) {
    auto screen = http.get("/api/sessions/" + id + "/screen").object();
    std::vector<std::string> lines;
    auto array = screen->getArray("lines");
    for (std::size_t i = 0; i < array->size(); ++i)
        lines.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return lines;
}

bool screenShows(HttpClient& http, const std::string& id, const std::string& text) {
    for (const auto& line : screenLines(http, id))
        if (line.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST(Activity, PermissionPromptIsNeedsInputUntilAnswered) {
    Watched watched;
    auto& [s, http, setup, ws] = watched;
    auto id = spawn(http, setup.task, "prompt");
    ASSERT_TRUE(waitForOutput(http, id, "(y/n)"));
    auto printed = Clock::now();
    auto asked = activityEvent(ws, id, "needs_input", 2s);
    ASSERT_TRUE(asked) << "needs_input within 2 s of the prompt";
    EXPECT_LT(Clock::now() - printed, 2s);
    EXPECT_EQ((*asked)->getValue<std::string>("reason"), "Allow edit of notes.txt? (y/n)");
    EXPECT_EQ((*asked)->getValue<std::string>("source"), "screen");
    EXPECT_GT((*asked)->getValue<std::int64_t>("since"), 0);

    auto record = session(http, id);
    EXPECT_EQ(record->getValue<std::string>("activity"), "needs_input");
    EXPECT_EQ(record->getValue<std::string>("activityReason"), "Allow edit of notes.txt? (y/n)");
    EXPECT_EQ(record->getValue<std::string>("status"), "running") << "activity is not status";

    auto screen = http.get("/api/sessions/" + id + "/screen").object();
    EXPECT_EQ(screen->getValue<int>("rows"), 32);
    EXPECT_EQ(screen->getValue<int>("cols"), 120);
    EXPECT_EQ(screen->getObject("cursor")->getValue<int>("row"), 1);
    auto lines = screenLines(http, id);
    EXPECT_EQ(lines[0], "Editing notes.txt");
    EXPECT_EQ(lines[1], "Allow edit of notes.txt? (y/n)") << "no escape codes";

    ASSERT_EQ(http.post("/api/sessions/" + id + "/input", R"({"data":"y\r"})").status, 200);
    EXPECT_TRUE(activityEvent(ws, id, "working"));
    EXPECT_TRUE(waitForOutput(http, id, "approved"));
    EXPECT_NE(activityOf(http, id), "needs_input");
}

TEST(Activity, QuietAgentTurnsIdleAfterIdleAfterMs) {
    Watched watched;
    auto& [s, http, setup, ws] = watched;
    auto id = spawn(http, setup.task, "quiet");
    auto working = activityEvent(ws, id, "working");
    ASSERT_TRUE(working);
    auto idle = activityEvent(ws, id, "idle");
    ASSERT_TRUE(idle);
    EXPECT_GE(
        (*idle)->getValue<std::int64_t>("since") - (*working)->getValue<std::int64_t>("since"), 350)
        << "idleAfterMs is 400";
    EXPECT_EQ((*idle)->getValue<std::string>("reason"), "no output for 0.4 s");
    // Output again is work again.
    ASSERT_EQ(http.post("/api/sessions/" + id + "/input", R"({"data":"\r"})").status, 200);
    EXPECT_TRUE(activityEvent(ws, id, "working"));
}

TEST(Activity, SilentAgentIsStalledAndAnEndedOneExited) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "silent");
    ASSERT_TRUE(waitForActivity(http, id, "stalled"));
    EXPECT_EQ(session(http, id)->getValue<std::string>("activityReason"), "no output within 0.6 s");
    ASSERT_EQ(http.post("/api/sessions/" + id + "/stop", "").status, 200);
    EXPECT_EQ(activityOf(http, id), "exited");
    EXPECT_EQ(http.post("/api/sessions/" + id + "/activity", R"({"activity":"working"})").status,
              409);
}

TEST(Activity, ReportNeedsInputHoldsUntilInputArrives) {
    Watched watched;
    auto& [s, http, setup, ws] = watched;
    auto id = spawn(http, setup.task, "asks");
    auto asked = activityEvent(ws, id, "needs_input");
    ASSERT_TRUE(asked) << output(http, id);
    EXPECT_EQ((*asked)->getValue<std::string>("reason"), "Which DB?");
    EXPECT_EQ((*asked)->getValue<std::string>("source"), "report");
    // The report also stays on the task's timeline.
    EXPECT_NE(http.get("/api/tasks/" + setup.task).body.find("Needs input: Which DB?"),
              std::string::npos);

    ASSERT_EQ(http.post("/api/sessions/" + id + "/input", R"({"data":"postgres\r"})").status, 200);
    auto answered = activityEvent(ws, id, "working");
    ASSERT_TRUE(answered);
    EXPECT_EQ((*answered)->getValue<std::string>("source"), "screen");
    EXPECT_TRUE(waitForOutput(http, id, "got postgres"));
    // Quiet for idleAfterMs after that: idle, not needs_input again.
    EXPECT_TRUE(activityEvent(ws, id, "idle"));
}

TEST(Activity, AgentsWordMovesActivityAndBadReportsAreRefused) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "quiet");
    auto path = "/api/sessions/" + id + "/activity";
    auto held =
        http.post(path, R"({"activity":"needs_input","reason":"Pick one","source":"hook"})");
    ASSERT_EQ(held.status, 200) << held.body;
    EXPECT_EQ(held.object()->getValue<std::string>("activity"), "needs_input");
    EXPECT_EQ(held.object()->getValue<std::string>("source"), "hook");
    auto working = http.post(path, R"({"activity":"working","reason":"on it"})");
    EXPECT_EQ(working.object()->getValue<std::string>("activity"), "working");

    EXPECT_EQ(http.post(path, R"({"activity":"stalled"})").status, 400);
    EXPECT_EQ(http.post(path, R"({"activity":"idle","source":"screen"})").status, 400);
    EXPECT_EQ(http.post(path, R"({"reason":"x"})").status, 400);
    EXPECT_EQ(http.post(path, "not json").status, 400);
    EXPECT_EQ(http.post("/api/sessions/sess_nope/activity", R"({"activity":"idle"})").status, 404);
    EXPECT_EQ(http.get("/api/sessions/sess_nope/screen").status, 404);
}

TEST(Activity, ScreenOfAFullScreenProgramIsWhatATerminalShows) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "fullscreen", R"(,"cols":20,"rows":8)");
    ASSERT_TRUE(waitUntil([&] { return screenShows(http, id, "MIDdle"); }, 10s));
    auto lines = screenLines(http, id);
    ASSERT_EQ(lines.size(), 8u);
    EXPECT_EQ(lines[0], "top left");
    EXPECT_EQ(lines[1], "");
    EXPECT_EQ(lines[2], "    MIDdle");
    EXPECT_EQ(lines[3], "abcdefghijklmnopqrst");
    EXPECT_EQ(lines[4], "uvwxyz");
    auto screen = http.get("/api/sessions/" + id + "/screen").object();
    EXPECT_EQ(screen->getObject("cursor")->getValue<int>("row"), 5);
    ASSERT_EQ(http.post("/api/sessions/" + id + "/resize", R"({"cols":40,"rows":10})").status, 200);
    EXPECT_TRUE(waitUntil(
        [&] {
            return http.get("/api/sessions/" + id + "/screen").object()->getValue<int>("cols") ==
                   40;
        },
        5s));
}

TEST(Activity, RestartKeepsActivityAndRebuildsTheScreen) {
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "asks");
    ASSERT_TRUE(waitForActivity(http, id, "needs_input"));
    auto since = session(http, id)->getValue<std::int64_t>("activitySince");
    auto quiet = spawn(http, setup.task, "quiet");
    ASSERT_TRUE(waitForActivity(http, quiet, "idle"));

    s.start();
    auto restarted = s.client();
    auto record = session(restarted, id);
    EXPECT_EQ(record->getValue<std::string>("activity"), "needs_input");
    EXPECT_EQ(record->getValue<std::string>("activityReason"), "Which DB?");
    EXPECT_EQ(record->getValue<std::int64_t>("activitySince"), since);
    EXPECT_EQ(activityOf(restarted, quiet), "idle");
    EXPECT_TRUE(screenShows(restarted, quiet, "hello")) << "rebuilt from output.log";
    // The restarted server still holds the agent's word until input arrives.
    ASSERT_EQ(restarted.post("/api/sessions/" + id + "/input", R"({"data":"sqlite\r"})").status,
              200);
    EXPECT_TRUE(waitForOutput(restarted, id, "got sqlite"));
    // Input is judged on the monitor's thread, after the request has been answered.
    EXPECT_TRUE(waitUntil([&] { return activityOf(restarted, id) != "needs_input"; }, 5s));
}

TEST(Activity, ClaudesNotificationHookIsNeedsInputAndItsStopHookIdle) {
    Watched watched;
    auto& [s, http, setup, ws] = watched;
    auto id = spawn(http, setup.task, "claude-fake");
    auto asked = activityEvent(ws, id, "needs_input");
    ASSERT_TRUE(asked) << output(http, id);
    EXPECT_EQ((*asked)->getValue<std::string>("reason"),
              "Claude needs your permission to use Bash");
    EXPECT_EQ((*asked)->getValue<std::string>("source"), "hook");

    // What Maestro gave Claude Code: its settings format, a command hook per event.
    std::ifstream file(s.sessionDir(id) / "hooks.json");
    std::stringstream text;
    text << file.rdbuf();
    auto hooks = Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>()->getObject("hooks");
    ASSERT_TRUE(hooks) << text.str();
    for (const char* event : {"Notification", "Stop", "UserPromptSubmit", "PostToolUse"}) {
        auto matchers = hooks->getArray(event);
        ASSERT_TRUE(matchers) << event;
        auto hook = matchers->getObject(0)->getArray("hooks")->getObject(0);
        EXPECT_EQ(hook->getValue<std::string>("type"), "command");
        EXPECT_TRUE(hook->getValue<std::string>("command").ends_with(" hook claude"));
    }

    ASSERT_EQ(http.post("/api/sessions/" + id + "/input", R"({"data":"yes\r"})").status, 200);
    EXPECT_TRUE(activityEvent(ws, id, "working"));
    auto stopped = activityEvent(ws, id, "idle");
    ASSERT_TRUE(stopped) << output(http, id);
    EXPECT_EQ((*stopped)->getValue<std::string>("source"), "hook");
    EXPECT_TRUE(waitForOutput(http, id, "answer: yes"));

    // Its version, as --version says it.
    auto agents = http.get("/api/agents").array();
    std::map<std::string, Object::Ptr> byName;
    for (std::size_t i = 0; i < agents->size(); ++i) {
        auto agent = agents->getObject(static_cast<unsigned>(i));
        byName[agent->getValue<std::string>("name")] = agent;
    }
    ASSERT_TRUE(byName.count("claude-fake") && byName.count("missing"));
    EXPECT_EQ(byName["claude-fake"]->getValue<std::string>("version"), "2.0.99 (Claude Code)");
    EXPECT_TRUE(byName["missing"]->isNull("version"));
}
