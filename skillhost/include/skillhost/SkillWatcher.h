#pragma once

#include "skillhost/Discovery.h"
#include "skillhost/SkillInfo.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace maestro::skillhost {

class SkillRegistry;

// Hot drop-in: a background thread that polls the registry's roots and calls rescan() when
// something changed. A change is acted on only once the folders look the same on two polls in
// a row, so a folder being copied in is loaded once, complete. With the default interval a
// drop-in, change or removal takes effect within about three intervals (< 1 s).
class SkillWatcher {
public:
    using ChangesCallback = std::function<void(const std::vector<SkillChange>&)>;

    // `onChanges` runs on the watcher thread with each non-empty result of rescan(); it may be
    // empty. The registry must outlive the watcher.
    SkillWatcher(SkillRegistry& registry, ChangesCallback onChanges,
                 std::chrono::milliseconds interval = std::chrono::milliseconds(250));
    ~SkillWatcher(); // stop()
    SkillWatcher(const SkillWatcher&) = delete;
    SkillWatcher& operator=(const SkillWatcher&) = delete;

    void start(); // no-op when running
    void stop();  // wakes the thread and joins it; no-op when stopped

private:
    void run();

    SkillRegistry& registry_;
    ChangesCallback onChanges_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace maestro::skillhost
