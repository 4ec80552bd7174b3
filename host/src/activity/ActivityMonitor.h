#pragma once

#include "activity/ActivityRules.h"
#include "activity/Screen.h"
#include "domain/Activity.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace maestro::host::activity {

// Keeps every running session's screen and decides what its agent is doing (docs/sessions.md,
// "Activity"): fed by the terminal's output, input and resizes and by what the agent reports,
// it judges each session when something happens and on a short tick (so that quiet turns into
// idle, and silence into stalled), and hands every change to `record`.
//
// Thread-safety: every method may be called from any thread. Output is fed on the supervisor's
// thread and only kept there; the screen parses it (libvterm) and its patterns are matched when
// it is looked at: on the monitor's own thread, once a session's output has settled (and at most
// every 250 ms while it goes on), or for a request. Of a long run of output between two looks
// only the end is parsed.
class ActivityMonitor {
public:
    using Record =
        std::function<void(const std::string& sessionId, const domain::ActivityState& state)>;
    using Clock = std::chrono::steady_clock;

    explicit ActivityMonitor(Record record,
                             std::chrono::milliseconds tick = std::chrono::milliseconds(50));
    ~ActivityMonitor();
    ActivityMonitor(const ActivityMonitor&) = delete;
    ActivityMonitor& operator=(const ActivityMonitor&) = delete;

    // Starts watching a session whose terminal is rows × cols. `recorded` is its activity as
    // stored; `history`, for a session a previous server started, the end of its output so far,
    // which rebuilds the screen without counting as new output. Throws std::runtime_error when
    // the rules' patterns do not compile.
    void track(const std::string& sessionId, const ActivityRules& rules, int rows, int cols,
               const domain::ActivityState& recorded, std::string_view history = {});
    void forget(const std::string& sessionId);
    bool tracking(const std::string& sessionId) const;

    void output(const std::string& sessionId, std::string_view data);
    // A person typed into the terminal: what the agent held (needs_input, idle) is answered.
    // Judged on the monitor's thread right after.
    void input(const std::string& sessionId);
    void resize(const std::string& sessionId, int rows, int cols);
    // The agent's own word (`maestro report`, its hooks): needs_input and idle hold until input
    // arrives or the agent says something else; working is a sign of life. Judged and recorded
    // before this returns. False when the session is not watched here.
    bool report(const std::string& sessionId, domain::Activity activity, std::string reason,
                domain::ActivitySource source);

    std::optional<ScreenText> screen(const std::string& sessionId) const;

private:
    struct Session;
    struct Change {
        std::uint64_t seq = 0;
        domain::ActivityState state;
    };
    std::shared_ptr<Session> find(const std::string& sessionId) const;
    std::optional<Change> judge(Session& session, Clock::time_point now);
    void publish(Session& session, const Change& change);
    void run();

    Record record_;
    std::chrono::milliseconds tick_;
    mutable std::mutex mutex_; // guards sessions_, stopping_ and poked_
    std::map<std::string, std::shared_ptr<Session>> sessions_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool poked_ = false; // judge now rather than at the next tick
    std::thread thread_;
};

} // namespace maestro::host::activity
