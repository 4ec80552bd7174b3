#pragma once

#include "spawn/OutputBuffer.h"
#include "spawn/PtyProcess.h"
#include "ws/TerminalBridge.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace maestro::host::spawn {

// How a session's process ended.
struct ProcessExit {
    std::string sessionId;
    std::optional<int> exitCode; // the exit status, or 128 + signal number when killed
    int signal = 0;              // the signal that ended it, 0 when it exited on its own
    bool stopRequested = false;  // ended after stop() asked it to
};

// Runs the sessions' processes: one thread watches every pseudo-terminal (output) and every
// pidfd (exit) with epoll. Output goes to a per-session ring buffer, to
// sessions/<id>/output.log and to the output callback; exits are reaped and reported. Every
// child is reaped: by its pidfd while the server runs, and by stopAll() on shutdown.
//
// Also the hub's TerminalBridge: attach (scrollback), input and resize.
class Supervisor : public ws::TerminalBridge {
public:
    using OutputCallback =
        std::function<void(const std::string& sessionId, std::uint64_t offset, std::string data)>;
    using ExitCallback = std::function<void(const ProcessExit& exit)>;

    Supervisor(std::filesystem::path sessionsDir, OutputCallback onOutput, ExitCallback onExit);
    ~Supervisor() override; // stopAll(0) — call stopAll with a grace period first

    // Starts the session's process; throws SpawnFailure. Returns its pid.
    pid_t launch(const std::string& sessionId, const PtyOptions& options);
    bool isRunning(const std::string& sessionId) const;
    // SIGTERM to the process group now, SIGKILL once the grace period has passed. False when
    // the session has no running process here.
    bool stop(const std::string& sessionId, std::chrono::milliseconds grace);
    // Stops every session and waits until all are reaped (SIGKILL after the grace period).
    void stopAll(std::chrono::milliseconds grace);
    std::size_t runningCount() const;

    struct Slice {
        std::uint64_t start = 0; // offset of data's first byte
        std::uint64_t end = 0;   // offset just past it: what to ask for next time
        std::string data;
    };
    // Output from `since` (clamped to what is kept), at most maxBytes — from memory while the
    // process runs, else from its output.log. nullopt when there has never been output storage
    // for the session.
    std::optional<Slice> output(const std::string& sessionId, std::uint64_t since,
                                std::size_t maxBytes);

    std::optional<Scrollback> scrollback(const std::string& sessionId) override;
    bool input(const std::string& sessionId, std::string_view data) override;
    bool resize(const std::string& sessionId, int cols, int rows) override;

private:
    struct Running;
    void run();
    void onOutput(Running& running);
    void onExit(const std::shared_ptr<Running>& running);
    void append(Running& running, std::string data);
    std::shared_ptr<Running> find(const std::string& sessionId) const;
    std::filesystem::path logFile(const std::string& sessionId) const;

    std::filesystem::path sessionsDir_;
    OutputCallback onOutput_;
    ExitCallback onExit_;
    int epoll_ = -1;
    int wakeup_ = -1;
    mutable std::mutex mutex_; // guards sessions_ and tokens_
    std::map<std::string, std::shared_ptr<Running>> sessions_;
    std::map<std::uint64_t, std::shared_ptr<Running>> tokens_; // epoll token → session
    std::uint64_t nextToken_ = 1;
    std::condition_variable allExited_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace maestro::host::spawn
