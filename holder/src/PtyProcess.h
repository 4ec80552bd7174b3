#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

namespace maestro::holder {

// A process could not be started; the message says why ("command not found: claude").
class SpawnFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PtyOptions {
    std::string command;           // a path, or a name looked up in env's PATH
    std::vector<std::string> args; // after argv[0]
    std::string cwd;
    std::map<std::string, std::string> env; // the complete environment
    int cols = 120;
    int rows = 32;
};

// A child process in a new session whose controlling terminal is a fresh pseudo-terminal.
// Started with posix_spawn. Owns the master side and a pidfd that signals reach the child
// through; the holder reaps it (and signals it only until then).
class PtyProcess {
public:
    static PtyProcess start(const PtyOptions& options);

    PtyProcess(PtyProcess&& other) noexcept;
    PtyProcess& operator=(PtyProcess&&) = delete;
    ~PtyProcess();

    pid_t pid() const noexcept { return pid_; }
    int master() const noexcept { return master_; }
    int pidfd() const noexcept { return pidfd_; }

    // Signals the child's whole process group (it is a session leader, so its group id is
    // its pid). False once it has been reaped.
    bool signal(int signal) const;
    bool resize(int cols, int rows) const;
    // Closes the master: the terminal hangs up.
    void closeMaster();

private:
    PtyProcess(pid_t pid, int master, int pidfd) : pid_(pid), master_(master), pidfd_(pidfd) {}

    pid_t pid_ = -1;
    int master_ = -1;
    int pidfd_ = -1;
};

} // namespace maestro::holder
