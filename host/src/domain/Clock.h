#pragma once

#include <chrono>
#include <cstdint>

namespace maestro::domain {

// Wire times are integer milliseconds since the epoch.
inline std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace maestro::domain
