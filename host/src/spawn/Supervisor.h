#pragma once

#include "spawn/HolderLauncher.h"
#include "ws/TerminalBridge.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace maestro::host::spawn {

// How a session ended.
struct ProcessExit {
    std::string sessionId;
    std::optional<int> exitCode;           // the exit status, or 128 + signal number when killed
    int signal = 0;                        // the signal that ended it, 0 when it exited on its own
    bool stopRequested = false;            // ended after stop() asked it to
    std::optional<std::int64_t> endedAtMs; // when the agent ended, as its holder saw it
    // Set when the agent's own end is unknown: its holder is gone (the agent's processes have
    // been ended), and this says so.
    std::string failure;
};

// The client of every session's holder (maestro-session, holder/): each session's agent and
// terminal live in a holder process of their own, which outlives this server. The supervisor
// starts holders, re-attaches to those a previous server started, and keeps one connection
// to each on one epoll thread: output arrives by byte offset and goes to the output callback
// (cut on UTF-8 boundaries) — the one place every session's output passes through; an exit
// arrives once all output has, and is reported through the exit callback after the holder
// has been released.
//
// A holder that vanishes without reporting an exit is a lost session: its agent's processes
// are ended (holder/ProcessIdentity.h makes sure no stranger is hit) and the exit callback
// says why. Output is read back from output.log by offset (the hub's scrollback, the
// output route).
//
// Also the hub's TerminalBridge: scrollback, input and resize.
class Supervisor : public ws::TerminalBridge {
public:
    using OutputCallback =
        std::function<void(const std::string& sessionId, std::uint64_t offset, std::string data)>;
    using ExitCallback = std::function<void(const ProcessExit& exit)>;
    // What reaches the terminals: every input (from the API or the hub) and every resize that
    // a holder was sent.
    using InputCallback = std::function<void(const std::string& sessionId)>;
    using ResizeCallback = std::function<void(const std::string& sessionId, int cols, int rows)>;
    struct Callbacks {
        OutputCallback output;
        ExitCallback exit;
        InputCallback input;
        ResizeCallback resize;
    };

    Supervisor(std::filesystem::path sessionsDir, std::filesystem::path holderProgram,
               Callbacks callbacks);
    // Detaches from every holder: their sessions go on running.
    ~Supervisor() override;

    // Starts a holder for the session and its agent in it; throws SpawnFailure. Returns the
    // agent's pid.
    pid_t launch(const std::string& sessionId, const LaunchOptions& options);
    // Connects to the holder of a session a previous server started and continues its output
    // where output.log ends. Returns the agent's pid (0 when its holder did not record it);
    // nullopt when the session has ended (reported through the exit callback before this
    // returns).
    std::optional<pid_t> reattach(const std::string& sessionId);
    bool isRunning(const std::string& sessionId) const;
    // Asks the holder to stop the agent: SIGTERM to its process group now, SIGKILL once the
    // grace period has passed. False when no holder here runs the session.
    bool stop(const std::string& sessionId, std::chrono::milliseconds grace);
    // Stops every session and waits until each end is reported and the holders this server
    // started have ended.
    void stopAll(std::chrono::milliseconds grace);
    std::size_t runningCount() const;

    struct Slice {
        std::uint64_t start = 0; // offset of data's first byte
        std::uint64_t end = 0;   // offset just past it: what to ask for next time
        std::string data;
    };
    // Output from `since` (clamped to what exists), at most maxBytes, from output.log; ends on a
    // UTF-8 character boundary unless it is the final output. nullopt when the session has no
    // output.log.
    std::optional<Slice> output(const std::string& sessionId, std::uint64_t since,
                                std::size_t maxBytes);

    std::optional<Scrollback> scrollback(const std::string& sessionId, std::uint64_t from) override;
    bool input(const std::string& sessionId, std::string_view data) override;
    bool resize(const std::string& sessionId, int cols, int rows) override;

private:
    struct Link;
    void run();
    std::shared_ptr<Link> connect(const std::string& sessionId, int fd, std::uint64_t from);
    void onReadable(const std::shared_ptr<Link>& link);
    void onFrame(const std::shared_ptr<Link>& link, std::uint8_t type, std::string& payload);
    void onLost(const std::shared_ptr<Link>& link);
    void unlink(Link& link);
    void finish(const ProcessExit& exit);
    void reap(std::uint64_t token);
    bool send(Link& link, const std::string& frames);
    std::shared_ptr<Link> find(const std::string& sessionId) const;
    std::filesystem::path dir(const std::string& sessionId) const;

    std::filesystem::path sessionsDir_;
    std::filesystem::path holderProgram_;
    OutputCallback onOutput_;
    ExitCallback onExit_;
    InputCallback onInput_;
    ResizeCallback onResize_;
    int epoll_ = -1;
    int wakeup_ = -1;
    mutable std::mutex mutex_; // guards links_, tokens_ and children_
    std::map<std::string, std::shared_ptr<Link>> links_;
    std::map<std::uint64_t, std::shared_ptr<Link>> tokens_; // epoll token → connection
    // Holders this server started, by epoll token of their pidfd: reaped when they end.
    std::map<std::uint64_t, std::pair<pid_t, int>> children_;
    std::uint64_t nextToken_ = 1;
    std::condition_variable changed_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace maestro::host::spawn
