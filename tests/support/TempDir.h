#pragma once

#include <chrono>
#include <filesystem>
#include <functional>

namespace maestro::test {

// A fresh directory under $TMPDIR, removed with everything in it when this goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

// Polls condition until it holds or the deadline passes; returns its last value. Tests wait
// on conditions this way, never on fixed sleeps.
bool waitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

} // namespace maestro::test
