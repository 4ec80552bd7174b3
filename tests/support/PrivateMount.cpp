#include "PrivateMount.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace maestro::test {

namespace {

// Runs argv, returning its exit status and what it wrote (stdout and stderr together).
std::pair<int, std::string> run(const std::vector<std::string>& argv) {
    std::string command;
    for (const auto& arg : argv) {
        command += '\'';
        for (char c : arg)
            command += c == '\'' ? std::string("'\\''") : std::string(1, c);
        command += "' ";
    }
    command += "2>&1";
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return {-1, "popen failed"};
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe))
        output += buffer.data();
    int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

} // namespace

PrivateMount::PrivateMount(Kind kind, std::filesystem::path mountPoint, std::size_t bytes)
    : kind_(kind), mountPoint_(std::move(mountPoint)), bytes_(bytes) {}

std::string PrivateMount::mountScript() const {
    // $0 is the mount point; "$@" the server's command line.
    std::ostringstream script;
    script << "set -e; ";
    if (kind_ == Kind::Tmpfs) {
        script << "mount -t tmpfs -o size=" << bytes_ << ",mode=0700 maestro-test \"$0\"; ";
    } else {
        // The image lives inside the mount point's own folder: mounted over, it stays reachable
        // through the loop device and goes away with the test's temporary directory.
        script << "img=\"$0/.ext4.img\"; truncate -s " << bytes_ << " \"$img\"; "
               << "mkfs.ext4 -q -F \"$img\" >/dev/null; "
               << "mount -o loop,errors=remount-ro \"$img\" \"$0\"; chmod 0700 \"$0\"; ";
    }
    script << "exec \"$@\"";
    return script.str();
}

std::vector<std::string> PrivateMount::wrapper() const {
    return {"unshare", "--mount", "--propagation", "private",           "--",
            "sh",      "-c",      mountScript(),   mountPoint_.string()};
}

std::optional<std::string> PrivateMount::unavailable() const {
    if (::geteuid() != 0) return "needs root to mount a file system in a private mount namespace";
    auto probe = wrapper();
    probe.push_back("true");
    auto [status, output] = run(probe);
    if (status == 0) return std::nullopt;
    return "cannot mount a " + std::string(kind_ == Kind::Tmpfs ? "tmpfs" : "loop-mounted ext4") +
           " in a private mount namespace: " + output;
}

std::filesystem::path PrivateMount::seenBy(pid_t pid, const std::filesystem::path& path) {
    return std::filesystem::path("/proc") / std::to_string(pid) / "root" / path.relative_path();
}

std::string PrivateMount::deviceIn(pid_t pid) const {
    // /proc/<pid>/mountinfo: "… <mount point> <options> … - <fstype> <source> <super options>"
    std::ifstream in("/proc/" + std::to_string(pid) + "/mountinfo");
    std::string line, found;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string id, parent, devno, root, point;
        fields >> id >> parent >> devno >> root >> point;
        if (point != mountPoint_.string()) continue;
        auto dash = line.find(" - ");
        if (dash == std::string::npos) continue;
        std::istringstream tail(line.substr(dash + 3));
        std::string type, source;
        tail >> type >> source;
        found = source; // the last mount on that point is the one in effect
    }
    return found;
}

} // namespace maestro::test
