#pragma once

#include "PtyProcess.h"
#include "holder/Protocol.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace maestro::holder {

struct HolderOptions {
    std::filesystem::path dir; // the session's folder
    PtyOptions agent;
};

// One session's process and terminal, outside maestro-server: the agent runs in a
// pseudo-terminal whose every byte of output is appended to output.log, and the holder serves
// its socket (protocol: holder/Protocol.h) until the agent has ended and a client has
// collected the exit status (Release).
//
// One thread and one epoll set: the terminal's master side, the listening socket, the
// clients, a signalfd (SIGCHLD among others: the holder is the subreaper of everything the
// agent starts) and an inotify watch on the folder. A client's output is
// read back from output.log by offset as its socket has room, so a slow client costs the
// holder one frame of memory and never slows the agent.
//
// SIGTERM or SIGINT, and the removal of the session's folder, stop the agent (SIGTERM, SIGKILL
// after 3 s) and end the holder without waiting for a Release; exit.info keeps the status.
class Holder {
public:
    // Creates the socket and output.log and starts the agent; throws SpawnFailure.
    explicit Holder(HolderOptions options);
    ~Holder();
    Holder(const Holder&) = delete;
    Holder& operator=(const Holder&) = delete;

    pid_t agentPid() const noexcept { return agent_->pid(); }
    // Serves until the holder's work is done; returns the holder's exit status.
    int run();

private:
    using Clock = std::chrono::steady_clock;
    struct Client;

    void watch(int fd, std::uint32_t events);
    void accept();
    void readClient(Client& client);
    void handle(Client& client, const Frame& frame);
    void pump(Client& client);
    void drop(int fd);
    void readTerminal();
    void writeTerminal();
    void reapChildren();
    void onAgentExit(int status);
    void finishExit();
    void onSignal();
    void onFolderEvent();
    void stopAgent(std::chrono::milliseconds grace);
    State state() const;
    bool exitOwed(const Client& client) const;
    bool done();

    HolderOptions options_;
    int dirFd_ = -1;
    int logFd_ = -1;
    int listenFd_ = -1;
    int epollFd_ = -1;
    int signalFd_ = -1;
    int inotifyFd_ = -1;
    std::optional<PtyProcess> agent_;
    std::int64_t startedAtMs_ = 0;
    std::uint64_t agentStartTicks_ = 0;
    std::uint64_t end_ = 0; // output.log's size: the offset of the next byte of output
    std::map<int, std::unique_ptr<Client>> clients_;
    std::string pendingInput_; // for the terminal, while it cannot take more

    bool reaped_ = false;       // the agent has been waited for
    bool terminalDone_ = false; // the master side has been read to its end and closed
    bool exited_ = false;       // both: exit.info is written, clients are told
    State exit_;
    bool stopRequested_ = false;
    std::optional<Clock::time_point> killAt_;   // SIGKILL then, if the agent still runs
    std::optional<Clock::time_point> hangupAt_; // close the terminal then, if still open
    bool released_ = false;
    bool endWhenExited_ = false; // SIGTERM or the folder removed: no Release will come
    bool folderGone_ = false;
    std::optional<Clock::time_point> lingerUntil_; // ending at the latest then
};

} // namespace maestro::holder
