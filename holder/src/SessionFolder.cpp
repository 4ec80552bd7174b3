#include "holder/SessionFolder.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <system_error>
#include <unistd.h>

namespace maestro::holder {

namespace {

using Fields = std::map<std::string, std::string>;

// False when not all of `text` could be written (errno set).
bool writeAll(int fd, std::string_view text) {
    while (!text.empty()) {
        auto n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = ENOSPC;
        if (n <= 0) return false;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool writeFields(int dirFd, const char* name, const Fields& fields) {
    std::string text;
    for (const auto& [key, value] : fields)
        text += key + "=" + value + "\n";
    std::string temporary = std::string(name) + ".tmp";
    int fd = ::openat(dirFd, temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    bool written = writeAll(fd, text);
    ::close(fd);
    if (written && ::renameat(dirFd, temporary.c_str(), dirFd, name) == 0) return true;
    ::unlinkat(dirFd, temporary.c_str(), 0);
    return false;
}

std::optional<Fields> readFields(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return std::nullopt;
    Fields fields;
    for (std::string line; std::getline(in, line);) {
        auto eq = line.find('=');
        if (eq != std::string::npos) fields[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return fields;
}

// Reads the integer fields named by `keys` through `assign`; false when one is missing or
// not a number.
template <typename Assign> bool readNumbers(const Fields& fields, Assign assign) {
    try {
        return assign([&fields](const char* key) -> long long {
            auto it = fields.find(key);
            if (it == fields.end()) throw std::out_of_range(key);
            return std::stoll(it->second);
        });
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace

bool writeHolderInfo(int dirFd, const HolderInfo& info) {
    return writeFields(dirFd, kHolderInfoFile,
                       {{"version", std::to_string(info.version)},
                        {"holderPid", std::to_string(info.holderPid)},
                        {"holderStart", std::to_string(info.holderStartTicks)},
                        {"agentPid", std::to_string(info.agentPid)},
                        {"agentStart", std::to_string(info.agentStartTicks)},
                        {"bootId", info.bootId},
                        {"startedAt", std::to_string(info.startedAtMs)}});
}

bool writeExitInfo(int dirFd, const ExitInfo& info) {
    return writeFields(dirFd, kExitInfoFile,
                       {{"exitCode", std::to_string(info.exitCode)},
                        {"signal", std::to_string(info.signal)},
                        {"stopRequested", info.stopRequested ? "1" : "0"},
                        {"endedAt", std::to_string(info.endedAtMs)},
                        {"outputEnd", std::to_string(info.outputEnd)}});
}

std::optional<HolderInfo> readHolderInfo(const std::filesystem::path& dir) {
    auto fields = readFields(dir / kHolderInfoFile);
    if (!fields) return std::nullopt;
    HolderInfo info;
    bool complete = readNumbers(*fields, [&](auto number) {
        info.version = static_cast<std::uint16_t>(number("version"));
        info.holderPid = static_cast<pid_t>(number("holderPid"));
        info.holderStartTicks = static_cast<std::uint64_t>(number("holderStart"));
        info.agentPid = static_cast<pid_t>(number("agentPid"));
        info.agentStartTicks = static_cast<std::uint64_t>(number("agentStart"));
        info.startedAtMs = number("startedAt");
        return true;
    });
    if (!complete) return std::nullopt;
    info.bootId = (*fields)["bootId"];
    return info;
}

std::optional<ExitInfo> readExitInfo(const std::filesystem::path& dir) {
    auto fields = readFields(dir / kExitInfoFile);
    if (!fields) return std::nullopt;
    ExitInfo info;
    bool complete = readNumbers(*fields, [&](auto number) {
        info.exitCode = static_cast<int>(number("exitCode"));
        info.signal = static_cast<int>(number("signal"));
        info.stopRequested = number("stopRequested") != 0;
        info.endedAtMs = number("endedAt");
        info.outputEnd = static_cast<std::uint64_t>(number("outputEnd"));
        return true;
    });
    if (!complete) return std::nullopt;
    return info;
}

void createSessionFolder(const std::filesystem::path& dir) {
    for (const auto& folder : {dir.parent_path(), dir}) {
        if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
            throw std::system_error(errno, std::generic_category(), "mkdir " + folder.string());
    }
}

void writeSessionFile(const std::filesystem::path& dir, const char* name, std::string_view text) {
    auto file = dir / name;
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + file.string());
    bool written = writeAll(fd, text);
    int error = errno;
    ::close(fd);
    if (!written) throw std::system_error(error, std::generic_category(), "write " + file.string());
}

int connectToHolder(const std::filesystem::path& dir) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    auto path = (dir / kSocketFile).string();
    int dirFd = -1;
    if (path.size() >= sizeof address.sun_path) {
        // Too long for sun_path: go through the folder's descriptor instead.
        dirFd = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0) return -1;
        path = "/proc/self/fd/" + std::to_string(dirFd) + "/" + kSocketFile;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int rc = -1;
    if (fd >= 0) {
        // A full backlog answers EAGAIN: the holder is busy, not gone; give it a moment.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        for (;;) {
            rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
            if (rc == 0 || errno != EAGAIN || std::chrono::steady_clock::now() > deadline) break;
            ::poll(nullptr, 0, 5);
        }
    }
    int error = errno;
    if (dirFd >= 0) ::close(dirFd);
    if (rc != 0 && fd >= 0) {
        ::close(fd);
        fd = -1;
    }
    errno = error;
    return fd;
}

} // namespace maestro::holder
