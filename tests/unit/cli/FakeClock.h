#pragma once

#include "RetryPolicy.h"

#include <vector>

namespace maestro::test {

// A clock that only moves when the code under test sleeps, and a fixed "random" draw, so
// backoff sequences are exact.
struct FakeClock {
    std::chrono::steady_clock::time_point now{};
    std::vector<cli::Millis> sleeps;
    double draw = 0.5;

    cli::RetryClock clock() {
        return cli::RetryClock{[this] { return now; },
                               [this](cli::Millis wait) {
                                   sleeps.push_back(wait);
                                   now += wait;
                               },
                               [this] { return draw; }};
    }
};

} // namespace maestro::test
