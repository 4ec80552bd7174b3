#pragma once

// Telling a process from a stranger that got its pid later: a pid and the process's start
// time (in clock ticks since boot, /proc/<pid>/stat field 22) within one boot name one process.

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>

namespace maestro::holder {

struct ProcessStat {
    char state = '?'; // R, S, D, Z, …
    pid_t parent = 0;
    pid_t group = 0;
    pid_t session = 0;
    std::uint64_t startTicks = 0;
};

// /proc/<pid>/stat; nullopt when there is no such process.
std::optional<ProcessStat> readProcessStat(pid_t pid);
// /proc/sys/kernel/random/boot_id: changes with every boot.
std::string bootId();

// Ends what is left of a session a holder no longer looks after: every process of the agent's
// session (its process group and any job groups it made) gets SIGKILL. Nothing is signalled
// unless it can be ours: a different boot, or the agent's pid now held by a process with
// another start time, means the agent's session ended long ago; and a process is killed only
// if it is in the agent's session, started no earlier than the agent, and is still that
// process when signalled (through a pidfd opened before the last check). Returns how many
// processes were signalled.
std::size_t endAgentSession(pid_t agentPid, std::uint64_t agentStartTicks,
                            const std::string& agentBootId);

} // namespace maestro::holder
