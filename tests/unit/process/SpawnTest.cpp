#include "process/Spawn.h"

#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using maestro::process::Detach;
using maestro::process::SpawnSetup;

namespace {

// What a child reports of itself: its /proc status, stat and environment, read by cat.
struct Child {
    pid_t pid = -1;
    std::string status, stat, environ;
};

// Starts cat on the child's own /proc files with the set-up under test, stdout to a pipe.
Child report(Detach detach, std::map<std::string, std::string> env) {
    int out[2];
    EXPECT_EQ(::pipe2(out, O_CLOEXEC), 0);
    SpawnSetup setup(detach);
    posix_spawn_file_actions_adddup2(setup.actions(), out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclosefrom_np(setup.actions(), 3);
    std::vector<std::string> args{"/bin/cat", "/proc/self/status", "/proc/self/stat",
                                  "/proc/self/environ"};
    auto argv = maestro::process::nullTerminated(args);
    auto entries = maestro::process::environmentEntries(env);
    auto envp = maestro::process::nullTerminated(entries);
    Child child;
    EXPECT_EQ(::posix_spawn(&child.pid, argv[0], setup.actions(), setup.attributes(), argv.data(),
                            envp.data()),
              0);
    ::close(out[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    EXPECT_EQ(::waitpid(child.pid, &status, 0), child.pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    // status ends with its last line; stat is one line; environ is the rest.
    auto statStart = text.find('\n', text.find("nonvoluntary_ctxt_switches:")) + 1;
    auto statEnd = text.find('\n', statStart);
    child.status = text.substr(0, statStart);
    child.stat = text.substr(statStart, statEnd - statStart);
    child.environ = text.substr(statEnd + 1);
    return child;
}

// The standard signals' bits (1–31) of a mask in /proc status. glibc's posix_spawn leaves its
// own two internal signals (32 and 33) ignored in the child when the parent has handlers for
// them; they are not ours to reset, and a program linked with glibc re-arms them itself.
std::uint64_t standardSignals(const std::string& hex) {
    return std::stoull(hex, nullptr, 16) & 0x7fffffffULL;
}

std::string field(const std::string& status, const std::string& name) {
    auto at = status.find("\n" + name + ":");
    if (at == std::string::npos) return {};
    auto start = status.find_first_not_of(" \t", at + name.size() + 2);
    return status.substr(start, status.find('\n', start) - start);
}

// The process group and session of /proc/PID/stat: the fields after the state, past the
// command name's closing parenthesis.
std::pair<pid_t, pid_t> groupAndSession(const std::string& stat) {
    std::istringstream rest(stat.substr(stat.rfind(')') + 1));
    std::string state;
    pid_t parent = 0, group = 0, session = 0;
    rest >> state >> parent >> group >> session;
    return {group, session};
}

// Blocks SIGTERM in this thread and ignores SIGUSR1 in the process, as the server and holder
// block and ignore signals, for as long as it lives.
class ParentSignals {
public:
    ParentSignals() {
        sigset_t term;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &term, &oldMask_);
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGUSR1, &ignore, &oldAction_);
    }
    ~ParentSignals() {
        sigaction(SIGUSR1, &oldAction_, nullptr);
        pthread_sigmask(SIG_SETMASK, &oldMask_, nullptr);
    }

private:
    sigset_t oldMask_;
    struct sigaction oldAction_ {};
};

} // namespace

TEST(SpawnSetup, AChildInItsOwnSessionStartsWithAFreshSignalState) {
    ParentSignals parent;
    auto child = report(Detach::Session, {{"MAESTRO_PROBE", "one two"}});
    EXPECT_EQ(field(child.status, "SigBlk"), "0000000000000000");
    EXPECT_EQ(standardSignals(field(child.status, "SigIgn")), 0U);
    auto [group, session] = groupAndSession(child.stat);
    EXPECT_EQ(session, child.pid);
    EXPECT_EQ(group, child.pid);
    EXPECT_EQ(child.environ, std::string("MAESTRO_PROBE=one two") + '\0');
}

TEST(SpawnSetup, AChildInItsOwnProcessGroupStaysInTheParentsSession) {
    ParentSignals parent;
    auto child = report(Detach::ProcessGroup, {{"A", "1"}, {"B", ""}});
    EXPECT_EQ(field(child.status, "SigBlk"), "0000000000000000");
    EXPECT_EQ(standardSignals(field(child.status, "SigIgn")), 0U);
    auto [group, session] = groupAndSession(child.stat);
    EXPECT_EQ(group, child.pid);
    EXPECT_EQ(session, ::getsid(0));
    EXPECT_EQ(child.environ, std::string("A=1") + '\0' + "B=" + '\0');
}
