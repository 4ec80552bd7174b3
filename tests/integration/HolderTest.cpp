// maestro-session on its own, without a server: real holders, real agents in real
// pseudo-terminals, spoken to over their socket (holder/Protocol.h).
#include "Processes.h"
#include "TempDir.h"
#include "holder/Connection.h"
#include "holder/ProcessIdentity.h"
#include "holder/SessionFolder.h"

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace maestro::test;
namespace holder = maestro::holder;
using holder::Type;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A maestro-session started by the test (so the test reaps it), with its report line.
class RunningHolder {
public:
    RunningHolder(const fs::path& dir, const std::vector<std::string>& command) : dir_(dir) {
        fs::create_directories(dir);
        std::vector<std::string> args = {MAESTRO_HOLDER_BIN, "--dir",       dir.string(), "--cwd",
                                         dir.string(),       "--report-fd", "3",          "--"};
        args.insert(args.end(), command.begin(), command.end());
        std::vector<char*> argv;
        for (auto& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        int report[2];
        EXPECT_EQ(::pipe2(report, O_CLOEXEC), 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, report[1], 3);
        auto log = (dir / "holder.log").string();
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0600);
        EXPECT_EQ(::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(report[1]);
        char buffer[512];
        for (ssize_t n; report_.find('\n') == std::string::npos &&
                        (n = ::read(report[0], buffer, sizeof buffer)) > 0;)
            report_.append(buffer, static_cast<std::size_t>(n));
        ::close(report[0]);
    }
    ~RunningHolder() {
        if (status_) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    const std::string& report() const { return report_; }
    pid_t pid() const { return pid_; }
    pid_t agentPid() const { return static_cast<pid_t>(std::atoi(report_.c_str() + 3)); }
    holder::Connection connect() const {
        auto connection = holder::Connection::open(dir_);
        if (!connection) throw std::runtime_error("no holder listens in " + dir_.string());
        return std::move(*connection);
    }
    // The holder's exit status once it has ended (reaped), nullopt while it runs.
    std::optional<int> ended() {
        int status = 0;
        if (!status_ && ::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
        return status_;
    }

private:
    fs::path dir_;
    pid_t pid_ = -1;
    std::string report_;
    std::optional<int> status_;
};

// Output received on a connection, checked to arrive in order without gaps.
struct Received {
    std::string data;
    std::uint64_t first = 0; // the offset of data's first byte
    bool continuous = true;
    std::optional<holder::State> state;
    std::vector<std::string> errors;
    std::optional<holder::Welcome> welcome;
};

// Receives frames until `done` holds (or 10 s pass); returns whether it did.
bool receiveUntil(holder::Connection& connection, Received& received,
                  const std::function<bool(const Received&)>& done) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done(received)) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        auto frame = connection.receive(left);
        if (!frame) return done(received);
        holder::PayloadReader in(frame->payload);
        switch (frame->type) {
        case Type::Welcome:
            received.welcome = holder::parseWelcome(frame->payload);
            break;
        case Type::Output: {
            auto offset = in.u64();
            if (received.data.empty())
                received.first = offset;
            else if (offset != received.first + received.data.size())
                received.continuous = false;
            received.data += in.rest();
            break;
        }
        case Type::State:
            received.state = holder::parseState(frame->payload);
            break;
        case Type::Error:
            in.u8();
            received.errors.emplace_back(in.rest());
            break;
        default:
            break;
        }
    }
    return true;
}

auto contains(const std::string& needle) {
    return [needle](const Received& r) { return r.data.find(needle) != std::string::npos; };
}
// The agent has ended and all its output has arrived (an exit notice can overtake an Attach;
// the holder repeats it after the output).
bool hasExited(const Received& r) {
    return r.state && r.state->exited && r.first + r.data.size() >= r.state->outputEnd;
}

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::string kFake = MAESTRO_FAKE_AGENT;

} // namespace

TEST(Holder, RunsTheAgentBehindAPrivateSocketAndKeepsItsExitUntilReleased) {
    TempDir home;
    auto dir = home.path() / "sess_1";
    RunningHolder running(
        dir, {"/bin/sh", "-c", R"(printf 'one\ntwo\n'; read line; echo "got:$line"; exit 3)"});
    ASSERT_TRUE(running.report().starts_with("ok ")) << running.report();

    struct stat socket {};
    ASSERT_EQ(::stat((dir / "holder.sock").c_str(), &socket), 0);
    EXPECT_EQ(socket.st_mode & 0777, 0600u);
    auto info = holder::readHolderInfo(dir);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->holderPid, running.pid());
    EXPECT_EQ(info->agentPid, running.agentPid());
    auto agent = holder::readProcessStat(running.agentPid());
    ASSERT_TRUE(agent);
    EXPECT_EQ(info->agentStartTicks, agent->startTicks);
    EXPECT_EQ(agent->session, running.agentPid()) << "the agent leads a session of its own";
    EXPECT_EQ(holder::readProcessStat(running.pid())->session, running.pid())
        << "so does the holder";

    auto first = running.connect();
    first.send(Type::Attach, holder::offsetPayload(0));
    Received all;
    ASSERT_TRUE(receiveUntil(first, all, contains("two\r\n"))) << all.data;
    ASSERT_TRUE(all.welcome);
    EXPECT_EQ(all.welcome->version, holder::kProtocolVersion);
    EXPECT_EQ(all.welcome->agentPid, static_cast<std::uint32_t>(running.agentPid()));

    auto second = running.connect();
    second.send(Type::Attach, holder::offsetPayload(5)); // from "two"
    Received tail;
    ASSERT_TRUE(receiveUntil(second, tail, contains("two\r\n")));
    EXPECT_EQ(tail.first, 5u);
    EXPECT_TRUE(tail.data.starts_with("two\r\n")) << tail.data;

    first.send(Type::Input, "hi\r");
    ASSERT_TRUE(receiveUntil(first, all, hasExited)) << all.data;
    EXPECT_NE(all.data.find("got:hi"), std::string::npos) << all.data;
    EXPECT_EQ(all.state->exitCode, 3);
    EXPECT_EQ(all.state->outputEnd, all.data.size()) << "all output comes before the exit";
    EXPECT_TRUE(all.continuous);
    EXPECT_EQ(all.data, readFile(dir / "output.log"));
    auto exit = holder::readExitInfo(dir);
    ASSERT_TRUE(exit);
    EXPECT_EQ(exit->exitCode, 3);
    EXPECT_EQ(exit->outputEnd, all.data.size());

    EXPECT_FALSE(waitUntil([&] { return running.ended().has_value(); }, 300ms))
        << "the exit status is kept until a client collects it";
    first.send(Type::Release);
    ASSERT_TRUE(waitUntil([&] { return running.ended().has_value(); }));
    EXPECT_TRUE(WIFEXITED(*running.ended()) && WEXITSTATUS(*running.ended()) == 0);
    EXPECT_FALSE(fs::exists(dir / "holder.sock"));
}

TEST(Holder, ResizeSignalAndStopReachTheAgentsTerminalAndGroup) {
    TempDir home;
    RunningHolder echo(home.path() / "echo", {kFake, "echo"});
    auto connection = echo.connect();
    connection.send(Type::Attach, holder::offsetPayload(0));
    Received received;
    ASSERT_TRUE(receiveUntil(connection, received, contains("ready")));
    connection.send(Type::Resize, holder::resizePayload(100, 40));
    connection.send(Type::Input, "size\r");
    EXPECT_TRUE(receiveUntil(connection, received, contains("40 100"))) << received.data;
    connection.send(Type::Signal, holder::signalPayload(SIGINT));
    ASSERT_TRUE(receiveUntil(connection, received, hasExited));
    EXPECT_EQ(received.state->signal, SIGINT);
    EXPECT_EQ(received.state->exitCode, 128 + SIGINT);
    EXPECT_FALSE(received.state->stopRequested);

    RunningHolder stubborn(home.path() / "stubborn", {kFake, "stubborn"});
    auto second = stubborn.connect();
    second.send(Type::Attach, holder::offsetPayload(0));
    Received stopped;
    ASSERT_TRUE(receiveUntil(second, stopped, contains("ready")));
    second.send(Type::Stop, holder::stopPayload(2000));
    EXPECT_TRUE(receiveUntil(second, stopped, contains("ignoring TERM"))) << "SIGTERM first";
    ASSERT_TRUE(receiveUntil(second, stopped, hasExited));
    EXPECT_EQ(stopped.state->signal, SIGKILL) << "then SIGKILL, once the grace had passed";
    EXPECT_TRUE(stopped.state->stopRequested);
}

TEST(Holder, RefusesWhatItCannotDoAndDropsAClientThatBreaksTheFraming) {
    TempDir home;
    RunningHolder running(home.path() / "s", {kFake, "sleep"});
    auto connection = running.connect();
    Received received;
    connection.send(Type::Release);
    connection.send(Type::Resize, holder::resizePayload(0, 5));
    connection.send(static_cast<Type>(0x7f));
    ASSERT_TRUE(
        receiveUntil(connection, received, [](const Received& r) { return r.errors.size() == 3; }));
    EXPECT_EQ(received.errors[0], "the agent is still running");
    EXPECT_EQ(received.errors[2], "unknown request") << "a newer client can tell";
    connection.send(Type::Status);
    ASSERT_TRUE(
        receiveUntil(connection, received, [](const Received& r) { return r.state.has_value(); }));
    EXPECT_FALSE(received.state->exited);

    auto broken = running.connect();
    std::string oversized(4, '\xff'); // a length past kMaxFrameBody
    ASSERT_EQ(::send(broken.fd(), oversized.data(), oversized.size(), MSG_NOSIGNAL), 4);
    EXPECT_TRUE(waitUntil([&] {
        broken.receive(100ms);
        return !broken.open();
    })) << "a client that breaks the framing is disconnected";
    EXPECT_FALSE(running.ended()) << "and the session goes on";
}

TEST(Holder, AClientThatDoesNotReadNeverHoldsTheAgentBack) {
    TempDir home;
    auto dir = home.path() / "s";
    RunningHolder running(
        dir, {"/bin/sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo end"});
    auto idle = running.connect();
    idle.send(Type::Attach, holder::offsetPayload(0)); // and then reads nothing for a while
    ASSERT_TRUE(waitUntil([&] { return fs::exists(dir / "exit.info"); }, 30s))
        << "the agent finished while its client was not reading";
    Received received;
    ASSERT_TRUE(receiveUntil(idle, received, hasExited));
    EXPECT_TRUE(received.continuous);
    EXPECT_EQ(received.data.size(), received.state->outputEnd);
    EXPECT_NE(received.data.find("end"), std::string::npos);
}

TEST(Holder, SigtermStopsTheAgentAndEndsTheHolderWithoutARelease) {
    TempDir home;
    auto dir = home.path() / "s";
    RunningHolder running(dir, {kFake, "sleep"});
    auto connection = running.connect();
    connection.send(Type::Attach, holder::offsetPayload(0));
    Received received;
    ASSERT_TRUE(receiveUntil(connection, received, contains("ready")));
    ::kill(running.pid(), SIGTERM);
    ASSERT_TRUE(receiveUntil(connection, received, hasExited));
    EXPECT_TRUE(received.state->stopRequested);
    EXPECT_EQ(received.state->exitCode, 143);
    ASSERT_TRUE(waitUntil([&] { return running.ended().has_value(); }));
    EXPECT_EQ(holder::readExitInfo(dir)->exitCode, 143) << "exit.info keeps the status";
}

TEST(Holder, RemovingTheSessionsFolderEndsItsAgentAndHolder) {
    TempDir home;
    auto dir = home.path() / "s";
    RunningHolder running(dir, {kFake, "sleep"});
    ASSERT_TRUE(
        waitUntil([&] { return readFile(dir / "output.log").find("ready") != std::string::npos; }));
    auto agent = running.agentPid();
    fs::remove_all(dir);
    EXPECT_TRUE(waitUntil([&] { return running.ended().has_value(); }));
    EXPECT_TRUE(processEnded(agent));
}

TEST(Holder, AFolderWhosePathIsLongerThanASocketAddressWorks) {
    TempDir home;
    auto dir = home.path() / std::string(60, 'a') / std::string(60, 'b');
    ASSERT_GT((dir / "holder.sock").string().size(), 108u);
    RunningHolder running(dir, {"/bin/echo", "far away"});
    ASSERT_TRUE(running.report().starts_with("ok ")) << running.report();
    auto connection = running.connect();
    connection.send(Type::Attach, holder::offsetPayload(0));
    Received received;
    ASSERT_TRUE(receiveUntil(connection, received, hasExited));
    EXPECT_NE(received.data.find("far away"), std::string::npos)
        << "output end " << received.state->outputEnd
        << ", output.log: " << readFile(dir / "output.log");
}

TEST(Holder, ACommandThatCannotStartIsReportedAndLeavesNothingRunning) {
    TempDir home;
    auto dir = home.path() / "s";
    RunningHolder running(dir, {"no-such-agent-binary"});
    EXPECT_EQ(running.report(), "error command not found: no-such-agent-binary\n");
    ASSERT_TRUE(waitUntil([&] { return running.ended().has_value(); }));
    EXPECT_EQ(WEXITSTATUS(*running.ended()), 1);
    EXPECT_FALSE(holder::Connection::open(dir));
}

TEST(ProcessIdentity, EndingAnAgentsSessionKillsEveryProcessInIt) {
    TempDir home;
    RunningHolder running(home.path() / "s", {kFake, "immortal"});
    auto dir = home.path() / "s";
    ASSERT_TRUE(waitUntil(
        [&] { return readFile(dir / "output.log").find("ready child") != std::string::npos; }));
    auto info = holder::readHolderInfo(dir);
    ASSERT_TRUE(info);
    EXPECT_EQ(holder::endAgentSession(info->agentPid, info->agentStartTicks + 1, info->bootId), 0u)
        << "a pid with another start time is someone else";
    EXPECT_EQ(holder::endAgentSession(info->agentPid, info->agentStartTicks, "another-boot"), 0u);
    EXPECT_FALSE(processEnded(info->agentPid));

    EXPECT_GE(holder::endAgentSession(info->agentPid, info->agentStartTicks, info->bootId), 2u)
        << "the agent and the child it left in its group";
    EXPECT_TRUE(waitUntil([&] { return groupMembers(info->agentPid).empty(); }));
}
