// The one way the server runs a program and reads what it says: real processes.
#include "git/CommandRunner.h"

#include "TempDir.h"

#include <csignal>
#include <fstream>
#include <gtest/gtest.h>

using maestro::host::git::CommandError;
using maestro::host::git::CommandSpec;
using maestro::host::git::runCommand;
using namespace std::chrono_literals;

namespace {

CommandSpec shell(const std::string& script, std::vector<std::string> args = {}) {
    CommandSpec spec;
    spec.program = "/bin/sh";
    spec.args = {"-c", script, "sh"};
    spec.args.insert(spec.args.end(), args.begin(), args.end());
    spec.cwd = "/";
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.timeout = 10s;
    return spec;
}

bool processGone(pid_t pid) {
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

} // namespace

TEST(CommandRunner, CapturesStdoutStderrAndExitStatus) {
    auto result = runCommand(shell("echo out; echo err >&2; exit 3"));
    EXPECT_EQ(result.exitCode, 3);
    EXPECT_EQ(result.signal, 0);
    EXPECT_EQ(result.out, "out\n");
    EXPECT_EQ(result.err, "err\n");
    EXPECT_FALSE(result.ok());
}

TEST(CommandRunner, PassesArgumentsWithoutInterpretingThem) {
    maestro::test::TempDir dir;
    auto marker = (dir.path() / "touched").string();
    std::vector<std::string> args = {
        "$(touch " + marker + ")", "; touch " + marker, "*", "-rf", "a b", "", "é\t\"q\""};
    auto spec = shell(R"(for a in "$@"; do printf '[%s]\n' "$a"; done)", args);
    auto result = runCommand(spec);
    ASSERT_TRUE(result.ok()) << result.err;
    std::string expected;
    for (const auto& arg : args)
        expected += "[" + arg + "]\n";
    EXPECT_EQ(result.out, expected);
    EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(CommandRunner, RunsInTheGivenDirectoryWithExactlyTheGivenEnvironment) {
    maestro::test::TempDir dir;
    CommandSpec spec;
    spec.program = "/usr/bin/env";
    spec.cwd = dir.path();
    spec.env = {"ONLY=this", "AND=that"};
    auto result = runCommand(spec);
    EXPECT_EQ(result.out, "ONLY=this\nAND=that\n");
    auto pwd = runCommand([&] {
        auto s = shell("pwd -P");
        s.cwd = dir.path();
        return s;
    }());
    EXPECT_EQ(pwd.out, std::filesystem::canonical(dir.path()).string() + "\n");
}

TEST(CommandRunner, ReadsLargeOutputOnBothStreamsWithoutDeadlock) {
    auto result =
        runCommand(shell("head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2; echo tail"));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.out.size(), 3000005u);
    EXPECT_EQ(result.err.size(), 2000000u);
}

TEST(CommandRunner, ReportsTheSignalThatEndedTheProgram) {
    auto result = runCommand(shell("kill -TERM $$"));
    EXPECT_EQ(result.exitCode, -1);
    EXPECT_EQ(result.signal, SIGTERM);
}

TEST(CommandRunner, KillsTheProcessGroupWhenTheTimeoutPasses) {
    maestro::test::TempDir dir;
    auto pidFile = (dir.path() / "pid").string();
    auto spec = shell("sleep 30 & echo $! > " + pidFile + "; wait");
    spec.timeout = 300ms;
    auto started = std::chrono::steady_clock::now();
    try {
        runCommand(spec);
        FAIL() << "no timeout";
    } catch (const CommandError& e) {
        EXPECT_EQ(e.kind(), CommandError::Kind::TimedOut);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    std::ifstream in(pidFile);
    pid_t sleeper = 0;
    in >> sleeper;
    ASSERT_GT(sleeper, 0);
    EXPECT_TRUE(maestro::test::waitUntil([&] { return processGone(sleeper); }));
}

TEST(CommandRunner, AnswersWhenTheProgramExitsThoughItsChildHoldsTheOutput) {
    auto spec = shell("sleep 30 & echo $!; echo done");
    auto started = std::chrono::steady_clock::now();
    auto result = runCommand(spec);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    ASSERT_TRUE(result.ok());
    EXPECT_NE(result.out.find("done"), std::string::npos);
    ::kill(static_cast<pid_t>(std::stol(result.out)), SIGKILL);
}

TEST(CommandRunner, StopsAProgramThatWritesTooMuch) {
    auto spec = shell("yes");
    spec.maxOutput = 100000;
    try {
        runCommand(spec);
        FAIL() << "no limit";
    } catch (const CommandError& e) {
        EXPECT_EQ(e.kind(), CommandError::Kind::OutputTooLarge);
    }
}

TEST(CommandRunner, ReportsAProgramThatCannotStart) {
    CommandSpec missing;
    missing.program = "/nonexistent/program";
    missing.cwd = "/";
    EXPECT_THROW(
        {
            try {
                runCommand(missing);
            } catch (const CommandError& e) {
                EXPECT_EQ(e.kind(), CommandError::Kind::StartFailed);
                throw;
            }
        },
        CommandError);
    auto noDir = shell("true");
    noDir.cwd = "/nonexistent/folder";
    EXPECT_THROW(runCommand(noDir), CommandError);
}

TEST(CommandRunner, GivesTheProgramNoInputAndNoInheritedDescriptors) {
    auto result = runCommand(shell("cat; ls /proc/self/fd | wc -l"));
    ASSERT_TRUE(result.ok());
    // stdin, stdout, stderr and the descriptor ls uses to read the folder.
    EXPECT_EQ(result.out, "4\n");
}
