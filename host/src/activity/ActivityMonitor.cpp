#include "activity/ActivityMonitor.h"

#include "domain/Clock.h"

#include <Poco/Logger.h>
#include <vector>

namespace maestro::host::activity {

using domain::Activity;
using domain::ActivitySource;
using domain::ActivityState;

namespace {

// How much output a screen catches up with at once. Output is parsed when the screen is looked
// at (each tick, or a request), not as it arrives, and of a longer run only the end is parsed,
// from a line start (as a screen rebuilt after a restart is): at most this many bytes — several
// redraws of a full screen — and at most kScreensOfLines screens of lines. libvterm moves every
// row of the screen for each scrolled line, so an agent printing megabytes of lines would
// otherwise cost thousands of screen moves where the last screenful decides what is shown.
constexpr std::size_t kMaxCatchUp = 32 * 1024;
constexpr int kScreensOfLines = 2;
// When the screen is looked at: once output has settled for this long — a prompt is the last
// thing an agent prints before it waits — and, while output goes on, at most this often. A
// session that streams is not waiting for anyone; looking 20 times a second would cost the
// parse of two screens of lines each time.
constexpr auto kSettled = std::chrono::milliseconds(25);
constexpr auto kLookWhileBusy = std::chrono::milliseconds(250);

} // namespace

struct ActivityMonitor::Session {
    Session(std::string sessionId, const ActivityRules& activityRules, int rows, int cols)
        : id(std::move(sessionId)), rules(activityRules),
          matcher(rules.needsInputPatterns, rules.needsInputLines), screen(rows, cols) {}

    const std::string id;
    const ActivityRules rules;
    const PromptMatcher matcher;

    std::mutex mutex; // guards everything below but the recording pair
    Screen screen;
    std::string unparsed; // output the screen has not caught up with
    Clock::time_point startedAt;
    Clock::time_point lastSign;   // the last output, input or report
    Clock::time_point lastOutput; // the last output
    Clock::time_point lastLook;   // when the patterns last looked at the screen
    bool anyOutput = false;
    bool dirty = true; // the screen changed since the patterns last looked

    // Keeps only the end of the output not yet parsed, from a line start (kMaxCatchUp).
    void trim() {
        auto limit = unparsed.size() > kMaxCatchUp ? unparsed.size() - kMaxCatchUp : 0;
        auto keepLines = kScreensOfLines * screen.rows();
        auto cut = std::string::npos;
        int lines = 0;
        for (auto i = unparsed.size(); i-- > limit;)
            if (unparsed[i] == '\n' && ++lines > keepLines) {
                cut = i + 1;
                break;
            }
        if (cut == std::string::npos && limit > 0) {
            cut = unparsed.find('\n', limit);
            if (cut != std::string::npos)
                ++cut;
            else
                cut = unparsed.size();
        }
        if (cut != std::string::npos) unparsed.erase(0, cut);
    }
    // Gives the screen the output that arrived since it last looked.
    void catchUp() {
        trim();
        screen.feed(unparsed);
        unparsed.clear();
    }
    std::optional<std::string> prompt;
    std::optional<ActivityState> held; // what the agent said and still holds
    ActivityState current;
    std::uint64_t changes = 0;

    // Changes are judged under `mutex` but recorded outside it (recording writes to the
    // database); a change judged earlier never overwrites a later one.
    std::mutex recording;
    std::uint64_t recorded = 0;
};

ActivityMonitor::ActivityMonitor(Record record, std::chrono::milliseconds tick)
    : record_(std::move(record)), tick_(tick) {
    thread_ = std::thread([this] { run(); });
}

ActivityMonitor::~ActivityMonitor() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ActivityMonitor::track(const std::string& sessionId, const ActivityRules& rules, int rows,
                            int cols, const ActivityState& recorded, std::string_view history) {
    auto session = std::make_shared<Session>(sessionId, rules, rows, cols);
    auto now = Clock::now();
    session->screen.feed(history);
    session->current = recorded;
    // A session taken over after a restart goes on from what was recorded.
    session->anyOutput = !history.empty() || (recorded.activity != Activity::Starting &&
                                              recorded.activity != Activity::Stalled);
    session->startedAt = recorded.activity == Activity::Stalled ? now - rules.startTimeout : now;
    session->lastSign = recorded.activity == Activity::Working ? now : now - rules.idleAfter;
    if ((recorded.source == ActivitySource::Report || recorded.source == ActivitySource::Hook) &&
        (recorded.activity == Activity::NeedsInput || recorded.activity == Activity::Idle))
        session->held = recorded;
    std::lock_guard lock(mutex_);
    sessions_[sessionId] = std::move(session);
}

void ActivityMonitor::forget(const std::string& sessionId) {
    std::lock_guard lock(mutex_);
    sessions_.erase(sessionId);
}

bool ActivityMonitor::tracking(const std::string& sessionId) const {
    return find(sessionId) != nullptr;
}

std::shared_ptr<ActivityMonitor::Session>
ActivityMonitor::find(const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(sessionId);
    return it == sessions_.end() ? nullptr : it->second;
}

void ActivityMonitor::output(const std::string& sessionId, std::string_view data) {
    auto session = find(sessionId);
    if (!session) return;
    std::lock_guard lock(session->mutex);
    session->unparsed.append(data);
    if (session->unparsed.size() > kMaxCatchUp) session->trim();
    session->anyOutput = true;
    session->lastSign = session->lastOutput = Clock::now();
    session->dirty = true;
}

void ActivityMonitor::input(const std::string& sessionId) {
    auto session = find(sessionId);
    if (!session) return;
    {
        std::lock_guard lock(session->mutex);
        session->held.reset();
        session->lastSign = Clock::now();
    }
    // Judged on the monitor's thread: input arrives on the hub's, which must not wait for the
    // database.
    std::lock_guard lock(mutex_);
    poked_ = true;
    wake_.notify_all();
}

void ActivityMonitor::resize(const std::string& sessionId, int rows, int cols) {
    auto session = find(sessionId);
    if (!session) return;
    std::lock_guard lock(session->mutex);
    session->catchUp(); // what came before the resize was laid out at the old size
    session->screen.resize(rows, cols);
    session->dirty = true;
}

bool ActivityMonitor::report(const std::string& sessionId, Activity activity, std::string reason,
                             ActivitySource source) {
    auto session = find(sessionId);
    if (!session) return false;
    std::optional<Change> change;
    {
        std::lock_guard lock(session->mutex);
        auto now = Clock::now();
        if (activity == Activity::NeedsInput || activity == Activity::Idle) {
            session->held = ActivityState{activity, 0, std::move(reason), source};
        } else {
            session->held.reset();
            session->anyOutput = true;
            session->lastSign = now;
        }
        change = judge(*session, now);
    }
    if (change) publish(*session, *change);
    return true;
}

std::optional<ScreenText> ActivityMonitor::screen(const std::string& sessionId) const {
    auto session = find(sessionId);
    if (!session) return std::nullopt;
    std::lock_guard lock(session->mutex);
    session->catchUp();
    return session->screen.text();
}

std::optional<ActivityMonitor::Change> ActivityMonitor::judge(Session& session,
                                                              Clock::time_point now) {
    if (session.dirty &&
        (now - session.lastOutput >= kSettled || now - session.lastLook >= kLookWhileBusy)) {
        session.catchUp();
        session.prompt = session.matcher.match(session.screen);
        session.dirty = false;
        session.lastLook = now;
    }
    Observation seen;
    seen.held = session.held;
    seen.prompt = session.prompt;
    seen.anyOutput = session.anyOutput;
    seen.sinceStart =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - session.startedAt);
    seen.sinceSign = std::chrono::duration_cast<std::chrono::milliseconds>(now - session.lastSign);
    auto next = decide(seen, session.rules);
    if (next.sameAs(session.current)) return std::nullopt;
    next.since =
        next.activity == session.current.activity ? session.current.since : domain::nowMs();
    session.current = next;
    return Change{++session.changes, std::move(next)};
}

void ActivityMonitor::publish(Session& session, const Change& change) {
    std::lock_guard lock(session.recording);
    if (change.seq <= session.recorded) return; // a later change was recorded already
    session.recorded = change.seq;
    try {
        record_(session.id, change.state);
    } catch (const std::exception& e) {
        Poco::Logger::get("host.activity")
            .error("session %s: cannot record its activity: %s", session.id, std::string(e.what()));
    }
}

void ActivityMonitor::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, tick_, [this] { return stopping_ || poked_; });
        if (stopping_) break;
        poked_ = false;
        std::vector<std::shared_ptr<Session>> sessions;
        sessions.reserve(sessions_.size());
        for (const auto& [id, session] : sessions_)
            sessions.push_back(session);
        lock.unlock();
        for (const auto& session : sessions) {
            std::optional<Change> change;
            {
                std::lock_guard sessionLock(session->mutex);
                change = judge(*session, Clock::now());
            }
            if (change) publish(*session, *change);
        }
        lock.lock();
    }
}

} // namespace maestro::host::activity
