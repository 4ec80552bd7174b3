#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace maestro::host::spawn {

// The most recent output of a session, addressed by absolute byte offsets (offset 0 is the
// first byte the session ever wrote), so readers can resume exactly where they stopped.
// Not thread-safe; the supervisor guards it.
class OutputBuffer {
public:
    explicit OutputBuffer(std::size_t capacity = 1u << 20) : capacity_(capacity) {}

    void append(std::string_view data);
    std::uint64_t start() const noexcept { return start_; }
    std::uint64_t end() const noexcept { return start_ + kept_.size() - skip_; }
    // The bytes from `from` (clamped to what is still kept) to the end.
    std::string_view since(std::uint64_t from) const;

private:
    std::size_t capacity_;
    std::string kept_;     // may hold up to 2×capacity before the front is dropped
    std::size_t skip_ = 0; // bytes at the front of kept_ that are no longer part of the tail
    std::uint64_t start_ = 0;
};

} // namespace maestro::host::spawn
