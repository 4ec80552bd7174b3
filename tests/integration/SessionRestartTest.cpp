// Sessions outlive the server: each runs in a maestro-session holder, which a restarted,
// crashed or upgraded server re-attaches to. Real processes in real pseudo-terminals.
#include "Processes.h"
#include "SessionSupport.h"
#include "WsClient.h"
#include "holder/ProcessIdentity.h"
#include "holder/SessionFolder.h"

#include <Poco/JSON/Array.h>
#include <chrono>
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/wait.h>

using namespace maestro::test;
using Poco::JSON::Object;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The numbers of the "n<number>" lines in `text`, in order.
std::vector<int> numbers(const std::string& text) {
    std::vector<int> found;
    for (std::size_t at = text.find('n'); at != std::string::npos; at = text.find('n', at + 1)) {
        if (at > 0 && text[at - 1] != '\n') continue;
        auto end = text.find_first_not_of("0123456789", at + 1);
        if (end == at + 1 || end == std::string::npos || text[end] != '\r') continue;
        found.push_back(std::stoi(text.substr(at + 1, end - at - 1)));
    }
    return found;
}

// 1, 2, …, last: every number once, in order.
::testing::AssertionResult countsTo(const std::vector<int>& found, int last) {
    for (std::size_t i = 0; i < found.size(); ++i)
        if (found[i] != static_cast<int>(i) + 1)
            return ::testing::AssertionFailure()
                   << "position " << i << " holds n" << found[i] << " (of " << found.size() << ")";
    if (static_cast<int>(found.size()) != last)
        return ::testing::AssertionFailure() << found.size() << " lines, expected " << last;
    return ::testing::AssertionSuccess();
}

// Reads a session's output over HTTP by offset, page by page, from where it last stopped.
struct OffsetReader {
    std::string data;
    std::int64_t next = 0;
    // Reads what there is now; false if a page did not start where the last one ended.
    bool readAll(HttpClient& http, const std::string& id) {
        for (;;) {
            auto page = http.get("/api/sessions/" + id + "/output?since=" + std::to_string(next) +
                                 "&limit=1000")
                            .object();
            if (page->getValue<std::int64_t>("start") != next) return false;
            auto chunk = page->getValue<std::string>("data");
            if (chunk.empty()) return true;
            data += chunk;
            next = page->getValue<std::int64_t>("end");
        }
    }
};

// Follows a session's output over a WebSocket, checking that every chunk starts where the
// previous one ended.
struct StreamReader {
    std::string data;
    std::int64_t next = 0;
    bool continuous = true;
    std::unique_ptr<WsClient> ws;

    void attach(int port, const std::string& id) {
        ws = std::make_unique<WsClient>(port);
        ws->receive(); // connected
        ws->send(R"({"type":"session:attach","sessionId":")" + id + R"(","offset":)" +
                 std::to_string(next) + "}");
    }
    // Receives until `needle` has arrived.
    bool until(const std::string& needle, std::chrono::milliseconds timeout = 30s) {
        return ws
            ->receiveUntil(
                [&](const Object::Ptr& m) {
                    if (m->getValue<std::string>("type") != "session:output") return false;
                    auto chunk = m->getValue<std::string>("data");
                    if (m->getValue<std::int64_t>("offset") != next) continuous = false;
                    data += chunk;
                    next += static_cast<std::int64_t>(chunk.size());
                    return data.find(needle) != std::string::npos;
                },
                timeout)
            .has_value();
    }
};

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

maestro::holder::HolderInfo holderOf(const SessionServer& s, const std::string& id) {
    auto info = maestro::holder::readHolderInfo(s.sessionDir(id));
    if (!info) throw std::runtime_error("no holder.info for " + id);
    return *info;
}

std::string failureReason(HttpClient& http, const std::string& id) {
    auto metadata = session(http, id)->getObject("metadata");
    return metadata && metadata->has("failureReason")
               ? metadata->getValue<std::string>("failureReason")
               : "";
}

} // namespace

TEST(SessionRestart, NumberedOutputCrossesAServerCrashExactlyOnceByOffsetAndWebSocket) {
    Subreaper reaper;
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "count"); // n1 … n400, one every 10 ms

    StreamReader stream;
    stream.attach(s.server->port(), id);
    ASSERT_TRUE(stream.until("n50\r\n")) << stream.data;
    OffsetReader pages;
    ASSERT_TRUE(pages.readAll(http, id));

    s.server->kill(); // mid-stream
    auto log = s.sessionDir(id) / "output.log";
    ASSERT_TRUE(waitUntil([&] { return readFile(log).find("n150\r\n") != std::string::npos; }, 20s))
        << "the agent goes on writing while no server runs";
    s.start();
    auto after = s.client();

    stream.attach(s.server->port(), id); // from the offset it had reached
    EXPECT_TRUE(stream.until("n400\r\n")) << stream.data.substr(stream.data.size() - 200);
    EXPECT_TRUE(stream.continuous) << "a chunk did not start where the previous one ended";
    ASSERT_TRUE(waitForStatus(after, id, "completed", 30s));
    ASSERT_TRUE(pages.readAll(after, id)) << "a page did not start where the previous one ended";

    EXPECT_TRUE(countsTo(numbers(stream.data), 400));
    EXPECT_TRUE(countsTo(numbers(pages.data), 400));
    EXPECT_EQ(pages.data, readFile(log));
    EXPECT_EQ(session(after, id)->getValue<int>("exitCode"), 0);
}

TEST(SessionRestart, AnAgentThatExitsWhileTheServerIsDownIsRecordedWithItsCodeAndTime) {
    Subreaper reaper;
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "await"); // exits 3 once work/exit-now exists
    ASSERT_TRUE(waitForOutput(http, id, "ready"));

    s.server->kill();
    auto before = nowMs();
    std::ofstream(s.project() / "exit-now") << "now";
    ASSERT_TRUE(waitUntil([&] { return fs::exists(s.sessionDir(id) / "exit.info"); }, 20s));
    auto exited = nowMs();
    ASSERT_TRUE(waitUntil([&] { return nowMs() > exited; })); // the restart comes later
    s.start();

    auto http2 = s.client();
    auto record = session(http2, id);
    EXPECT_EQ(record->getValue<std::string>("status"), "failed");
    EXPECT_EQ(record->getValue<int>("exitCode"), 3);
    auto completedAt = record->getValue<std::int64_t>("completedAt");
    EXPECT_GE(completedAt, before);
    EXPECT_LE(completedAt, exited) << "the end time is when the agent ended, not the restart";
    EXPECT_EQ(failureReason(http2, id), "") << "an exit of its own, not a lost session";
    auto events = http2.get("/api/events?limit=1000").array();
    bool announced = false;
    for (std::size_t i = 0; i < events->size(); ++i) {
        auto event = events->getObject(static_cast<unsigned>(i));
        announced |= event->getValue<std::string>("type") == "session:exited" &&
                     event->getObject("data")->getValue<std::string>("id") == id;
    }
    EXPECT_TRUE(announced);
    EXPECT_TRUE(waitUntil([&] { return !fs::exists(s.sessionDir(id) / "holder.sock"); }))
        << "a collected holder ends";
}

TEST(SessionRestart, SigtermLeavesFiveSessionsRunningAndTheirInputWorksAfterTheRestart) {
    Subreaper reaper;
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(spawn(http, setup.task, "echo"));
    for (const auto& id : ids)
        ASSERT_TRUE(waitForOutput(http, id, "ready"));

    int status = s.server->stop();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    for (const auto& id : ids) {
        auto agent = holderOf(s, id);
        auto stat = maestro::holder::readProcessStat(agent.agentPid);
        ASSERT_TRUE(stat && stat->startTicks == agent.agentStartTicks && stat->state != 'Z')
            << "the agent of " << id << " runs on";
    }

    s.start();
    auto after = s.client();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(session(after, ids[i])->getValue<std::string>("status"), "running");
        auto word = "hello-" + std::to_string(i);
        ASSERT_EQ(after.post("/api/sessions/" + ids[i] + "/input", R"({"data":")" + word + "\\r\"}")
                      .status,
                  200);
        EXPECT_TRUE(waitForOutput(after, ids[i], "got:" + word));
    }
    WsClient ws(s.server->port());
    ws.receive();
    ws.send(R"({"type":"session:input","sessionId":")" + ids[0] + R"(","data":"quit\r"})");
    EXPECT_TRUE(waitForStatus(after, ids[0], "completed"));
    for (std::size_t i = 1; i < ids.size(); ++i)
        EXPECT_EQ(after.post("/api/sessions/" + ids[i] + "/stop", "")
                      .object()
                      ->getValue<std::string>("status"),
                  "stopped");
}

TEST(SessionRestart, AKilledHolderFailsItsSessionAndEndsTheAgentsProcessGroup) {
    Subreaper reaper;
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "immortal"); // ignores SIGHUP and SIGTERM, with a child
    ASSERT_TRUE(waitForOutput(http, id, "ready child"));
    auto holder = holderOf(s, id);
    ASSERT_FALSE(groupMembers(holder.agentPid).empty());

    ::kill(holder.holderPid, SIGKILL);
    ASSERT_TRUE(waitForStatus(http, id, "failed"));
    EXPECT_NE(failureReason(http, id).find("holder"), std::string::npos) << failureReason(http, id);
    EXPECT_TRUE(waitUntil([&] { return groupMembers(holder.agentPid).empty(); }))
        << groupMembers(holder.agentPid).size() << " processes of the agent's group left";
}

TEST(SessionRestart, AHolderKilledWhileTheServerIsDownFailsItsSessionAtTheNextStart) {
    Subreaper reaper;
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "immortal");
    ASSERT_TRUE(waitForOutput(http, id, "ready child"));
    auto holder = holderOf(s, id);
    s.server->stop();
    ::kill(holder.holderPid, SIGKILL);
    ASSERT_TRUE(waitUntil([&] { return processEnded(holder.holderPid); }));
    EXPECT_FALSE(groupMembers(holder.agentPid).empty()) << "the hang-up alone does not end it";

    s.start();
    auto after = s.client();
    EXPECT_EQ(session(after, id)->getValue<std::string>("status"), "failed");
    EXPECT_NE(failureReason(after, id).find("holder"), std::string::npos);
    EXPECT_TRUE(waitUntil([&] { return groupMembers(holder.agentPid).empty(); }));
}

TEST(SessionRestart, TwentySessionsThroughFiveRestartsLoseNoOutputAndLeakNothing) {
    Subreaper reaper;
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    std::vector<std::string> ids;
    for (int i = 0; i < 20; ++i)
        ids.push_back(spawn(http, setup.task, "tick")); // n1, n2, … every 100 ms
    for (const auto& id : ids)
        ASSERT_TRUE(waitForOutput(http, id, "n2\r\n", 30s)) << id;
    std::vector<maestro::holder::HolderInfo> holders;
    for (const auto& id : ids)
        holders.push_back(holderOf(s, id));
    std::vector<std::size_t> holderFds;
    for (const auto& holder : holders)
        holderFds.push_back(openFds(holder.holderPid));
    std::vector<OffsetReader> readers(ids.size());

    for (int round = 0; round < 5; ++round) {
        SCOPED_TRACE("restart " + std::to_string(round + 1));
        if (round % 2)
            s.server->kill();
        else
            s.server->stop();
        s.start();
        auto after = s.client();
        pid_t server = s.server->pid();
        for (std::size_t i = 0; i < ids.size(); ++i) {
            EXPECT_EQ(session(after, ids[i])->getValue<std::string>("status"), "running");
            EXPECT_TRUE(waitUntil([&] { return openFds(holders[i].holderPid) == holderFds[i]; }))
                << ids[i] << ": " << openFds(holders[i].holderPid) << " descriptors, was "
                << holderFds[i];
            EXPECT_TRUE(zombieChildren(holders[i].holderPid).empty()) << ids[i];
            ASSERT_TRUE(readers[i].readAll(after, ids[i]));
            auto found = numbers(readers[i].data);
            EXPECT_TRUE(countsTo(found, static_cast<int>(found.size()))) << ids[i];
        }
        // One connection per session; no holder is this server's child.
        EXPECT_EQ(unixSockets(server), ids.size());
        EXPECT_EQ(openFds(server, "anon_inode:[pidfd]"), 0u);
        EXPECT_TRUE(zombieChildren(server).empty());
        // Output written while the server was down reaches it, and more follows.
        auto last = numbers(readers[0].data).back();
        EXPECT_TRUE(waitForOutput(after, ids[0], "n" + std::to_string(last + 2) + "\r\n", 20s));
    }

    auto http2 = s.client();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        ASSERT_EQ(http2.post("/api/sessions/" + ids[i] + "/stop", "")
                      .object()
                      ->getValue<std::string>("status"),
                  "stopped");
        ASSERT_TRUE(readers[i].readAll(http2, ids[i]));
        auto found = numbers(readers[i].data);
        EXPECT_TRUE(countsTo(found, static_cast<int>(found.size()))) << ids[i];
        EXPECT_EQ(readers[i].data, readFile(s.sessionDir(ids[i]) / "output.log"));
    }
    for (const auto& holder : holders)
        EXPECT_TRUE(waitUntil([&] { return processEnded(holder.holderPid); }))
            << "holder " << holder.holderPid << " still runs";
    EXPECT_TRUE(waitUntil([&] {
        reaper.reapEndedHolders();
        return zombieChildren(::getpid()).empty();
    })) << "zombies: "
        << commandsOf(zombieChildren(::getpid()));
    EXPECT_EQ(unixSockets(s.server->pid()), 0u);
}

TEST(SessionRestart, AnUpgradedServerStartedFromAnotherPathReattaches) {
    Subreaper reaper;
    SessionServer s;
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "echo");
    ASSERT_TRUE(waitForOutput(http, id, "ready"));
    s.server->stop();

    // The new build, installed somewhere else: the server and the holder beside it.
    TempDir install;
    for (const std::string binary : {MAESTRO_SERVER_BIN, MAESTRO_HOLDER_BIN})
        fs::copy_file(binary, install.path() / fs::path(binary).filename());
    s.start((install.path() / "maestro-server").string());
    auto after = s.client();
    after.post("/api/sessions/" + id + "/input", R"({"data":"upgraded\r"})");
    EXPECT_TRUE(waitForOutput(after, id, "got:upgraded"));

    auto fresh = spawn(after, setup.task, "echo");
    ASSERT_TRUE(waitForOutput(after, fresh, "ready"));
    EXPECT_EQ(fs::canonical("/proc/" + std::to_string(holderOf(s, fresh).holderPid) + "/exe"),
              fs::canonical(install.path() / "maestro-session"))
        << "new sessions use the holder beside the new server";
    for (const auto& session : {id, fresh})
        after.post("/api/sessions/" + session + "/stop", "");
}

TEST(SessionRestart, StopSessionsOnShutdownStopsThemAndWaitsForTheirHolders) {
    SessionServer s(R"(,"stopSessionsOnShutdown":true)");
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto id = spawn(http, setup.task, "sleep");
    ASSERT_TRUE(waitForOutput(http, id, "ready"));
    auto holder = holderOf(s, id);
    pid_t server = s.server->pid();
    EXPECT_EQ(childrenOf(server), std::vector<pid_t>{holder.holderPid});
    s.server->stop();
    EXPECT_TRUE(processEnded(holder.agentPid));
    EXPECT_TRUE(processEnded(holder.holderPid)) << "the server waited for its holder to end";

    s.start();
    auto after = s.client();
    EXPECT_EQ(session(after, id)->getValue<std::string>("status"), "stopped");
    EXPECT_EQ(session(after, id)->getValue<int>("exitCode"), 143);
}

TEST(SessionRestart, ClientSpawnedSessionsKeepTheirStateAndUnclaimedOnesWaitAgain) {
    SessionServer s(R"(,"spawner":"client","claimTimeoutMs":1500)");
    auto http = s.client();
    auto setup = projectWithTask(http, s.project());
    auto claimed = spawn(http, setup.task, "sleep");
    ASSERT_EQ(http.post("/api/sessions/" + claimed + "/claim", R"({"pid":4242})").status, 200);
    auto unclaimed = spawn(http, setup.task, "sleep");
    s.server->kill();
    s.start();

    auto after = s.client();
    EXPECT_EQ(session(after, claimed)->getValue<std::string>("status"), "running")
        << "the client's terminal never depended on the server";
    EXPECT_EQ(session(after, unclaimed)->getValue<std::string>("status"), "spawning");
    EXPECT_EQ(after.post("/api/sessions/" + unclaimed + "/claim", "").status, 200)
        << "a claim still counts after the restart";
    auto late = spawn(after, setup.task, "sleep");
    s.server->stop();
    s.start();
    auto again = s.client();
    EXPECT_TRUE(waitForStatus(again, late, "failed"))
        << "an unclaimed session still fails once its claim time has passed";
}
