#pragma once

// A session's folder, sessions/<id>/, as the holder keeps it: who reads and writes what.
//
//   holder.sock  the holder's socket (mode 0600), while the holder runs
//   output.log   every byte of terminal output; a byte's offset is its position in this file
//   holder.info  written by the holder at start: its own and the agent's identity
//   exit.info    written by the holder when the agent has ended, before anyone is told
//   holder.log   the holder's own diagnostics (its stderr)

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace maestro::holder {

inline constexpr const char* kSocketFile = "holder.sock";
inline constexpr const char* kOutputFile = "output.log";
inline constexpr const char* kHolderInfoFile = "holder.info";
inline constexpr const char* kExitInfoFile = "exit.info";
inline constexpr const char* kHolderLogFile = "holder.log";

// Who holds the session. A pid names the same process only together with its start time
// (and the boot it belongs to), so PID reuse cannot make a stranger look like the agent.
struct HolderInfo {
    std::uint16_t version = 0; // the protocol version the holder speaks
    pid_t holderPid = 0;
    std::uint64_t holderStartTicks = 0;
    pid_t agentPid = 0;
    std::uint64_t agentStartTicks = 0;
    std::string bootId;
    std::int64_t startedAtMs = 0;
};

// How the agent ended.
struct ExitInfo {
    int exitCode = 0; // the exit status, or 128 + signal
    int signal = 0;
    bool stopRequested = false;
    std::int64_t endedAtMs = 0;
    std::uint64_t outputEnd = 0;
};

// Both files are "key=value" lines, written to a temporary name and renamed into place, so a
// reader sees the whole file or none. `dirFd` is the session folder. False when writing failed.
bool writeHolderInfo(int dirFd, const HolderInfo& info);
bool writeExitInfo(int dirFd, const ExitInfo& info);
// nullopt when the file is missing or incomplete.
std::optional<HolderInfo> readHolderInfo(const std::filesystem::path& dir);
std::optional<ExitInfo> readExitInfo(const std::filesystem::path& dir);

// Creates the session folder `dir` (and the sessions folder above it, when missing) with mode
// 0700: what an agent is told and prints is for its user only. An existing folder is left as it
// is. Throws std::system_error.
void createSessionFolder(const std::filesystem::path& dir);

// Writes `text` to the file `name` in the session folder `dir` with mode 0600, replacing what
// was there (the brief). Throws std::system_error.
void writeSessionFile(const std::filesystem::path& dir, const char* name, std::string_view text);

// A non-blocking connection to the holder of the session in `dir`, or -1 (errno set) when no
// holder listens there. Works for folders whose socket path is longer than a sockaddr_un holds.
int connectToHolder(const std::filesystem::path& dir);

} // namespace maestro::holder
