#include "holder/ProcessIdentity.h"

#include "process/Pidfd.h"

#include <cctype>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace maestro::holder {

std::optional<ProcessStat> readProcessStat(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!in || !std::getline(in, text)) return std::nullopt;
    // "pid (comm) state ppid pgrp session …": comm may hold anything, even ") ".
    auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(text.substr(close + 1));
    std::vector<std::string> values;
    for (std::string value; fields >> value && values.size() < 20;)
        values.push_back(value);
    if (values.size() < 20) return std::nullopt;
    try {
        ProcessStat stat;
        stat.state = values[0].front();            // field 3
        stat.parent = std::stoi(values[1]);        // field 4
        stat.group = std::stoi(values[2]);         // field 5
        stat.session = std::stoi(values[3]);       // field 6
        stat.startTicks = std::stoull(values[19]); // field 22
        return stat;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string bootId() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

namespace {

// The live (not yet dead) processes of session `session` that started no earlier than `since`.
std::vector<std::pair<pid_t, std::uint64_t>> sessionMembers(pid_t session, std::uint64_t since) {
    std::vector<std::pair<pid_t, std::uint64_t>> members;
    DIR* proc = ::opendir("/proc");
    if (!proc) return members;
    while (auto* entry = ::readdir(proc)) {
        if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
        auto pid = static_cast<pid_t>(std::atoi(entry->d_name));
        auto stat = readProcessStat(pid);
        if (stat && stat->session == session && stat->state != 'Z' && stat->state != 'X' &&
            stat->startTicks >= since)
            members.emplace_back(pid, stat->startTicks);
    }
    ::closedir(proc);
    return members;
}

} // namespace

std::size_t endAgentSession(pid_t agentPid, std::uint64_t agentStartTicks,
                            const std::string& agentBootId) {
    if (agentPid <= 1 || agentStartTicks == 0) return 0;
    if (!agentBootId.empty() && agentBootId != bootId()) return 0;
    if (auto agent = readProcessStat(agentPid); agent && agent->startTicks != agentStartTicks)
        return 0;
    std::set<std::pair<pid_t, std::uint64_t>> signalled;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    // Killed processes take a moment to die, and one may fork before it does: scan until
    // nothing of the session is left alive.
    for (;;) {
        auto members = sessionMembers(agentPid, agentStartTicks);
        if (members.empty() || std::chrono::steady_clock::now() > deadline) break;
        for (auto [pid, startTicks] : members) {
            int pidfd = process::pidfdOpen(pid);
            if (pidfd < 0) continue;
            // The pidfd pins the process: if it is still the one scanned, the signal reaches it.
            auto again = readProcessStat(pid);
            if (again && again->session == agentPid && again->startTicks == startTicks &&
                process::pidfdSendSignal(pidfd, SIGKILL) == 0)
                signalled.emplace(pid, startTicks);
            ::close(pidfd);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return signalled.size();
}

} // namespace maestro::holder
