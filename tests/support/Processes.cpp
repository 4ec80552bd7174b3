#include "Processes.h"

#include "holder/ProcessIdentity.h"

#include <cctype>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace maestro::test {

namespace {

namespace fs = std::filesystem;

std::vector<pid_t> allProcesses() {
    std::vector<pid_t> pids;
    if (DIR* proc = ::opendir("/proc")) {
        while (auto* entry = ::readdir(proc))
            if (std::isdigit(static_cast<unsigned char>(entry->d_name[0])))
                pids.push_back(static_cast<pid_t>(std::atoi(entry->d_name)));
        ::closedir(proc);
    }
    return pids;
}

std::string command(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

} // namespace

std::string commandsOf(const std::vector<pid_t>& pids) {
    std::string names;
    for (auto pid : pids)
        names += (names.empty() ? "" : " ") + command(pid);
    return names;
}

bool processEnded(pid_t pid) {
    auto stat = holder::readProcessStat(pid);
    return !stat || stat->state == 'Z' || stat->state == 'X';
}

std::vector<pid_t> groupMembers(pid_t group) {
    std::vector<pid_t> members;
    for (auto pid : allProcesses())
        if (auto stat = holder::readProcessStat(pid);
            stat && stat->group == group && stat->state != 'Z' && stat->state != 'X')
            members.push_back(pid);
    return members;
}

std::vector<pid_t> childrenOf(pid_t parent) {
    std::vector<pid_t> children;
    for (auto pid : allProcesses())
        if (auto stat = holder::readProcessStat(pid); stat && stat->parent == parent)
            children.push_back(pid);
    return children;
}

std::vector<pid_t> zombieChildren(pid_t parent) {
    std::vector<pid_t> zombies;
    for (auto pid : childrenOf(parent))
        if (auto stat = holder::readProcessStat(pid); stat && stat->state == 'Z')
            zombies.push_back(pid);
    return zombies;
}

std::size_t openFds(pid_t pid, std::string_view prefix) {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
        auto target = fs::read_symlink(entry.path(), ec).string();
        if (!ec && target.starts_with(prefix)) ++n;
    }
    return n;
}

std::size_t unixSockets(pid_t pid) {
    // /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path"; the inode is field 7.
    std::set<std::string> inodes;
    std::ifstream in("/proc/net/unix");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string field;
        for (int i = 0; i < 7 && fields >> field; ++i) {
        }
        inodes.insert("socket:[" + field + "]");
    }
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec))
        if (inodes.count(fs::read_symlink(entry.path(), ec).string())) ++n;
    return n;
}

Subreaper::Subreaper() {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

Subreaper::~Subreaper() {
    reapEndedHolders();
    ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

std::size_t Subreaper::reapEndedHolders() {
    std::size_t reaped = 0;
    for (auto pid : zombieChildren(::getpid()))
        if (command(pid) == "maestro-session" && ::waitpid(pid, nullptr, WNOHANG) == pid) ++reaped;
    return reaped;
}

} // namespace maestro::test
