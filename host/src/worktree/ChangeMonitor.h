#pragma once

#include "git/Git.h"
#include "service/EventSink.h"
#include "service/SessionService.h"
#include "worktree/DirectoryWatcher.h"
#include "worktree/WorktreeService.h"

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace maestro::host::worktree {

struct MonitorOptions {
    // A worktree is looked at once its files have been quiet this long…
    std::chrono::milliseconds debounce{200};
    // …or this long after the first change, if they never are.
    std::chrono::milliseconds maxDelay{1000};
    // Every watched worktree, in case a change left no event (its base moved, an event was
    // lost). Cheap: one git status each, and nothing more when nothing moved.
    std::chrono::milliseconds pollInterval{10000};
    // Worktrees inotify cannot watch (too many folders) are polled this often instead.
    std::chrono::milliseconds fallbackPoll{2000};
};

// Keeps the change sets of live sessions current without running git when nothing happens:
// inotify says which worktree saw a file written, created, removed or renamed (or a commit:
// the worktree's git folder is watched too), and only that worktree is looked at again, once
// its files are quiet for a moment. The look itself starts with one `git status`
// (WorktreeService::refresh). It follows the sessions through their events: a live session
// with a worktree is watched; one that ends is looked at a last time and let go.
// One thread; publish() only queues.
class ChangeMonitor : public service::EventSink {
public:
    ChangeMonitor(WorktreeService& worktrees, service::SessionService& sessions,
                  const git::Git& git, MonitorOptions options);
    ~ChangeMonitor() override;
    ChangeMonitor(const ChangeMonitor&) = delete;
    ChangeMonitor& operator=(const ChangeMonitor&) = delete;

    // Watches every live session that has a worktree, then follows the sessions' events.
    void start();
    void stop();

    // service::EventSink: session:created|updated|exited|deleted → that session is looked at.
    void publish(const domain::Event& event) override;

private:
    struct Pending {
        std::chrono::steady_clock::time_point first, last;
    };
    void run();
    void wake();
    void evaluate(const std::string& sessionId);
    void watch(const std::string& sessionId, const domain::Worktree& worktree);
    void unwatch(const std::string& sessionId);
    void refresh(const std::string& sessionId);

    WorktreeService& worktrees_;
    service::SessionService& sessions_;
    const git::Git& git_;
    MonitorOptions options_;
    DirectoryWatcher watcher_;
    int wakeFd_ = -1;
    std::thread thread_;

    std::mutex mutex_; // queued_, stopping_
    std::set<std::string> queued_;
    bool stopping_ = false;

    // The monitor thread's own state.
    std::set<std::string> watched_; // live sessions with a worktree
    std::set<std::string> polled_;  // …of which inotify could not watch these
    std::set<std::string> ended_;   // sessions whose end was handled
    std::map<std::string, Pending> pending_;
};

} // namespace maestro::host::worktree
