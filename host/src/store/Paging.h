#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace maestro::host::store {

struct Page {
    static constexpr std::int64_t kMaxLimit = 1000;
    std::int64_t limit = kMaxLimit;
    std::int64_t offset = 0;
};

// Rendered entities of one page, in list order, and how many match in all.
struct JsonPage {
    std::vector<std::string> items;
    std::int64_t total = 0;
};

} // namespace maestro::host::store
