#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace maestro::test {

// The names of the processes, for messages: "maestro-session sleep".
std::string commandsOf(const std::vector<pid_t>& pids);
// True once `pid` has ended: there is no such process, or only its zombie.
bool processEnded(pid_t pid);
// The live (not yet dead) processes whose process group is `group`.
std::vector<pid_t> groupMembers(pid_t group);
// The children of `pid`, and those of them that are zombies.
std::vector<pid_t> childrenOf(pid_t pid);
std::vector<pid_t> zombieChildren(pid_t pid);
// The open descriptors of `pid`: all of them, those whose /proc link starts with `prefix`
// ("anon_inode:[pidfd]"), or its unix-domain sockets.
std::size_t openFds(pid_t pid, std::string_view prefix = {});
std::size_t unixSockets(pid_t pid);

// While it lives, this test process is the reaper of its orphaned descendants
// (PR_SET_CHILD_SUBREAPER): a session holder left behind by a server the test stopped becomes
// its child, so the test can see it end and collect it instead of leaving that to init.
class Subreaper {
public:
    Subreaper();
    ~Subreaper();
    Subreaper(const Subreaper&) = delete;
    Subreaper& operator=(const Subreaper&) = delete;
    // Reaps every adopted maestro-session that has ended; returns how many.
    std::size_t reapEndedHolders();
};

} // namespace maestro::test
