#include "skillhost/SkillWatcher.h"

#include "skillhost/SkillRegistry.h"

namespace maestro::skillhost {

SkillWatcher::SkillWatcher(SkillRegistry& registry, ChangesCallback onChanges,
                           std::chrono::milliseconds interval)
    : registry_(registry), onChanges_(std::move(onChanges)), interval_(interval) {}

SkillWatcher::~SkillWatcher() {
    stop();
}

void SkillWatcher::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void SkillWatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void SkillWatcher::run() {
    Snapshot seen = snapshotRoots(registry_.roots());
    std::optional<Snapshot> applied; // unknown at start: the first stable poll rescans
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
        }
        Snapshot now = snapshotRoots(registry_.roots());
        if (now != seen) { // still changing: wait until two polls agree
            seen = std::move(now);
            continue;
        }
        if (applied && *applied == now) continue;
        try {
            const std::vector<SkillChange> changes = registry_.rescan();
            applied = std::move(now);
            if (!changes.empty() && onChanges_) onChanges_(changes);
        } catch (...) {
            // rescan reports per-skill problems as rejections; anything else (out of memory,
            // a throwing callback) must not end hot reload — the next change retries.
        }
    }
}

} // namespace maestro::skillhost
