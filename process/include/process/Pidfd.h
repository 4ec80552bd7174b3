#pragma once

// Debian 12's <sys/pidfd.h> lacks extern "C" (glibc 2.36), so C++ cannot link its
// declarations; the system calls are made directly.

#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace maestro::process {

inline int pidfdOpen(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

inline int pidfdSendSignal(int pidfd, int signal) {
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

} // namespace maestro::process
