#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace maestro::test {

// A file system of its own under a server's home, mounted in a private mount namespace
// (unshare(1)) that only the server process sees, so a test can fill it up or make it fail
// without touching the machine. Needs root (CAP_SYS_ADMIN), as the suite has on CI.
//
// The server is started through wrapper(): unshare mounts, then execs the server in the same
// process, so the test reaches the mounted files as /proc/<server pid>/root/<path>.
class PrivateMount {
public:
    enum class Kind {
        Tmpfs,      // a tmpfs of `bytes`: for a full disk
        Ext4OnLoop, // ext4 on a loop device, errors=remount-ro: for a disk that fails
    };

    PrivateMount(Kind kind, std::filesystem::path mountPoint, std::size_t bytes);

    // Why such a mount cannot be made here (not root, no loop devices, …); nullopt when it can.
    // Tries it for real, in a throw-away namespace.
    std::optional<std::string> unavailable() const;

    // Prepended to the server's command line: mounts, then execs the rest.
    std::vector<std::string> wrapper() const;

    // `path` (under the mount point) as the test process reaches it inside the server's
    // namespace.
    static std::filesystem::path seenBy(pid_t pid, const std::filesystem::path& path);

    // The block device mounted at the mount point in pid's namespace ("/dev/loop3"), or "".
    std::string deviceIn(pid_t pid) const;

private:
    std::string mountScript() const;

    Kind kind_;
    std::filesystem::path mountPoint_;
    std::size_t bytes_;
};

} // namespace maestro::test
