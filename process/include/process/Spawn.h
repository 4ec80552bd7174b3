#pragma once

#include <map>
#include <spawn.h>
#include <string>
#include <vector>

namespace maestro::process {

// How a child is set apart from the process that starts it.
enum class Detach {
    Session,      // setsid: a new session, ready for a controlling terminal of its own
    ProcessGroup, // a new process group, so that ending the group ends what the child started
};

// posix_spawn's attribute and file-action objects, owned, set for a child that starts fresh:
// detached as asked, with default signal dispositions and an empty signal mask (the server
// and the holder ignore SIGPIPE and block the signals they read, and a child inherits both).
// Callers add their file actions (stdin, stdout, stderr, chdir, closefrom) to actions().
class SpawnSetup {
public:
    explicit SpawnSetup(Detach detach);
    ~SpawnSetup();
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    posix_spawn_file_actions_t* actions() noexcept { return &actions_; }
    const posix_spawnattr_t* attributes() const noexcept { return &attributes_; }

private:
    posix_spawn_file_actions_t actions_;
    posix_spawnattr_t attributes_;
};

// The form argv and envp take: a pointer to each string, then nullptr. The strings must
// outlive the result.
std::vector<char*> nullTerminated(std::vector<std::string>& strings);

// An environment as the "KEY=value" entries envp points to.
std::vector<std::string> environmentEntries(const std::map<std::string, std::string>& env);

} // namespace maestro::process
