#pragma once

// Helpers shared by the skills tests: a HostServices double, a temporary directory per test,
// fixture copies and condition waits with deadlines.

#include "fixture_paths.h"
#include "skillhost/HostServices.h"
#include "skillhost/SkillRegistry.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace maestro::test {

namespace fs = std::filesystem;

class TestHost : public skillhost::HostServices {
public:
    struct Call {
        std::string method, path, body;
    };

    void log(LogLevel, std::string_view skillId, std::string_view message) override {
        std::lock_guard lock(mutex_);
        logs_.push_back(std::string(skillId) + ": " + std::string(message));
    }
    std::optional<std::string> config(std::string_view key) override {
        std::lock_guard lock(mutex_);
        const auto it = config_.find(std::string(key));
        if (it == config_.end()) return std::nullopt;
        return it->second;
    }
    ApiResponse callApi(std::string_view method, std::string_view path,
                        std::string_view body) override {
        std::lock_guard lock(mutex_);
        calls_.push_back({std::string(method), std::string(path), std::string(body)});
        if (api_) return api_(method, path, body);
        return {200, R"({"pong":true})"};
    }
    std::string sessionContext() override { return R"({"sessionId":"sess_1"})"; }

    void setConfig(const std::string& key, const std::string& value) {
        std::lock_guard lock(mutex_);
        config_[key] = value;
    }
    void
    onApi(std::function<ApiResponse(std::string_view, std::string_view, std::string_view)> api) {
        std::lock_guard lock(mutex_);
        api_ = std::move(api);
    }
    std::vector<Call> calls() const {
        std::lock_guard lock(mutex_);
        return calls_;
    }
    std::vector<std::string> logs() const {
        std::lock_guard lock(mutex_);
        return logs_;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::string> config_;
    std::function<ApiResponse(std::string_view, std::string_view, std::string_view)> api_;
    std::vector<Call> calls_;
    std::vector<std::string> logs_;
};

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "maestro-skills-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

inline fs::path fixtureDir(const std::string& id) {
    return fs::path(kFixtureSkillsDir) / id;
}

// Copies the built fixture folder `id` to `root/name` (name defaults to id).
inline fs::path copyFixture(const std::string& id, const fs::path& root, std::string name = {}) {
    const fs::path target = root / (name.empty() ? id : name);
    fs::create_directories(root);
    fs::copy(fixtureDir(id), target, fs::copy_options::recursive);
    return target;
}

inline void writeFile(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// Whether a file whose path contains `needle` is mapped into this process.
inline bool isMapped(const std::string& needle) {
    std::ifstream maps("/proc/self/maps");
    std::stringstream text;
    text << maps.rdbuf();
    return text.str().find(needle) != std::string::npos;
}

// How many distinct in-memory private copies of skill `id` are mapped into this process.
inline int mappedCopies(const std::string& id) {
    std::ifstream maps("/proc/self/maps");
    std::set<std::string> inodes;
    const std::string name = "/memfd:maestro-skill-" + id + " (deleted)";
    for (std::string line; std::getline(maps, line);) {
        if (line.size() < name.size() ||
            line.compare(line.size() - name.size(), name.size(), name) != 0) {
            continue;
        }
        std::istringstream fields(line);
        std::string range, perms, offset, device, inode;
        fields >> range >> perms >> offset >> device >> inode;
        inodes.insert(device + ":" + inode);
    }
    return static_cast<int>(inodes.size());
}

inline std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Polls `condition` until it holds or `timeout` passes; returns whether it held.
inline bool waitFor(const std::function<bool()>& condition,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

// A registry over one temporary root with its own cache, the usual test set-up.
struct RegistryFixture {
    TempDir temp;
    fs::path root = temp.path() / "maestro-skills";
    fs::path cache = temp.path() / "cache";
    std::shared_ptr<TestHost> services = std::make_shared<TestHost>();

    RegistryFixture() { fs::create_directories(root); }

    std::unique_ptr<skillhost::SkillRegistry> makeRegistry(bool loadLibraries = true,
                                                           bool memoryCopies = true) {
        return std::make_unique<skillhost::SkillRegistry>(
            services, skillhost::RegistryOptions{{root}, cache, loadLibraries, memoryCopies});
    }
};

} // namespace maestro::test
