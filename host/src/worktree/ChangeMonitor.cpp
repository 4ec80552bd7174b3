#include "worktree/ChangeMonitor.h"

#include "domain/ApiError.h"
#include "git/Repository.h"

#include <Poco/Logger.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace maestro::host::worktree {

namespace {

using Clock = std::chrono::steady_clock;

Poco::Logger& logger() {
    return Poco::Logger::get("host.worktree");
}

// The session id of a session event: every one of them starts with {"id":"…" (the session as
// domain::writeJson renders it, the exited payload, or the deleted {id}).
std::string sessionIdOf(const std::string& data) {
    constexpr std::string_view kPrefix = R"({"id":")";
    if (!data.starts_with(kPrefix)) return {};
    auto end = data.find('"', kPrefix.size());
    if (end == std::string::npos) return {};
    return data.substr(kPrefix.size(), end - kPrefix.size());
}

} // namespace

ChangeMonitor::ChangeMonitor(WorktreeService& worktrees, service::SessionService& sessions,
                             const git::Git& git, MonitorOptions options)
    : worktrees_(worktrees), sessions_(sessions), git_(git), options_(options),
      wakeFd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (wakeFd_ < 0) throw std::runtime_error("cannot create an eventfd for the change monitor");
    if (!watcher_.available())
        logger().warning("inotify is not available: worktrees are polled every %Ld ms",
                         static_cast<long long>(options_.fallbackPoll.count()));
}

ChangeMonitor::~ChangeMonitor() {
    stop();
    ::close(wakeFd_);
}

void ChangeMonitor::start() {
    {
        std::lock_guard lock(mutex_);
        for (const auto& session : sessions_.live())
            if (session.worktree) queued_.insert(session.id);
    }
    thread_ = std::thread([this] { run(); });
}

void ChangeMonitor::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake();
    if (thread_.joinable()) thread_.join();
}

void ChangeMonitor::wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeFd_, &one, sizeof one);
}

void ChangeMonitor::publish(const domain::Event& event) {
    namespace events = domain::events;
    if (event.type != events::kSessionCreated && event.type != events::kSessionUpdated &&
        event.type != events::kSessionExited && event.type != events::kSessionDeleted)
        return;
    auto id = sessionIdOf(event.dataJson);
    if (id.empty()) return;
    {
        std::lock_guard lock(mutex_);
        if (!queued_.insert(std::move(id)).second) return;
    }
    wake();
}

void ChangeMonitor::watch(const std::string& sessionId, const domain::Worktree& worktree) {
    watched_.insert(sessionId);
    bool watching = watcher_.add(sessionId, worktree.path, true);
    try {
        // A commit rewrites the index and appends to HEAD's log in the worktree's git folder.
        auto gitDir = git::Repository(git_, worktree.path).gitDir();
        watching = watching && watcher_.add(sessionId, gitDir, false) &&
                   watcher_.add(sessionId, gitDir / "logs", false);
    } catch (const std::exception& e) {
        logger().warning("session %s: %s", sessionId, std::string(e.what()));
        watching = false;
    }
    if (!watching) {
        watcher_.remove(sessionId);
        polled_.insert(sessionId);
    }
}

void ChangeMonitor::unwatch(const std::string& sessionId) {
    watcher_.remove(sessionId);
    watched_.erase(sessionId);
    polled_.erase(sessionId);
    pending_.erase(sessionId);
}

void ChangeMonitor::refresh(const std::string& sessionId) {
    try {
        if (!worktrees_.refresh(sessionId)) unwatch(sessionId);
    } catch (const std::exception& e) {
        logger().warning("session %s: cannot read its changes: %s", sessionId,
                         std::string(e.what()));
    }
}

void ChangeMonitor::evaluate(const std::string& sessionId) {
    std::optional<domain::Session> session;
    try {
        session = sessions_.find(sessionId);
    } catch (const domain::ApiError&) {
        unwatch(sessionId); // deleted
        ended_.erase(sessionId);
        return;
    }
    bool active = session->worktree && session->worktree->state == domain::WorktreeState::Active;
    if (domain::isLive(session->status)) {
        if (active && !watched_.count(sessionId)) {
            watch(sessionId, *session->worktree);
            refresh(sessionId);
        } else if (!active) {
            unwatch(sessionId);
        }
        return;
    }
    unwatch(sessionId);
    if (active && ended_.insert(sessionId).second) worktrees_.ended(sessionId);
    if (!active) ended_.erase(sessionId);
}

void ChangeMonitor::run() {
    auto nextPoll = Clock::now() + options_.pollInterval;
    auto nextFallback = Clock::now() + options_.fallbackPoll;
    for (;;) {
        auto now = Clock::now();
        auto deadline = std::min(nextPoll, nextFallback);
        for (const auto& [id, pending] : pending_)
            deadline = std::min(
                {deadline, pending.last + options_.debounce, pending.first + options_.maxDelay});
        auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
        std::array<pollfd, 2> fds{{{wakeFd_, POLLIN, 0}, {watcher_.fd(), POLLIN, 0}}};
        int count = watcher_.available() ? 2 : 1;
        if (::poll(fds.data(), static_cast<nfds_t>(count),
                   static_cast<int>(std::max<long long>(wait, 0))) < 0 &&
            errno != EINTR)
            logger().error("change monitor: poll: %s", std::string(std::strerror(errno)));

        std::set<std::string> queued;
        {
            std::uint64_t value;
            [[maybe_unused]] auto n = ::read(wakeFd_, &value, sizeof value);
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            queued.swap(queued_);
        }
        for (const auto& id : queued)
            evaluate(id);

        now = Clock::now();
        if (watcher_.available() && (fds[1].revents & POLLIN)) {
            std::set<std::string> lost;
            for (const auto& id : watcher_.read(lost)) {
                if (!watched_.count(id)) continue;
                auto [it, added] = pending_.try_emplace(id, Pending{now, now});
                if (!added) it->second.last = now;
            }
            for (const auto& id : lost)
                polled_.insert(id);
        }
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (now - it->second.last >= options_.debounce ||
                now - it->second.first >= options_.maxDelay) {
                auto id = it->first;
                it = pending_.erase(it);
                refresh(id);
            } else {
                ++it;
            }
        }
        if (now >= nextFallback) {
            nextFallback = now + options_.fallbackPoll;
            for (const auto& id : std::set<std::string>(polled_))
                refresh(id);
        }
        if (now >= nextPoll) {
            nextPoll = now + options_.pollInterval;
            for (const auto& id : std::set<std::string>(watched_))
                if (!polled_.count(id)) refresh(id);
        }
    }
}

} // namespace maestro::host::worktree
