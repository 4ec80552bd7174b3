#include "spawn/OutputBuffer.h"

#include <algorithm>

namespace maestro::host::spawn {

void OutputBuffer::append(std::string_view data) {
    kept_ += data;
    std::size_t size = kept_.size() - skip_;
    if (size > capacity_) {
        std::size_t drop = size - capacity_;
        skip_ += drop;
        start_ += drop;
    }
    // Compact only once the dead prefix is as large as the tail: amortised O(1) per byte.
    if (skip_ >= capacity_) {
        kept_.erase(0, skip_);
        skip_ = 0;
    }
}

std::string_view OutputBuffer::since(std::uint64_t from) const {
    from = std::clamp(from, start_, end());
    return std::string_view(kept_).substr(skip_ + static_cast<std::size_t>(from - start_));
}

} // namespace maestro::host::spawn
