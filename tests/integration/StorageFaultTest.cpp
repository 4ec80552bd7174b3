// A disk that fills up or fails under the running server: writes are refused with a named
// error (507 storage_full, 503 storage_unavailable), nothing half-written is left, reads keep
// working, and writes resume once space returns. The server's home is a small file system in
// a private mount namespace (tests/support/PrivateMount.h), so this needs root, as CI has.
#include "PrivateMount.h"
#include "TempDir.h"
#include "TestServer.h"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

using namespace maestro::test;

namespace {

constexpr std::size_t kDiskBytes = 8u << 20;

std::string bigTask(const std::string& project, int i) {
    return R"({"projectId":")" + project + R"(","title":"filler )" + std::to_string(i) +
           R"(","description":")" + std::string(100 * 1024 - 1, 'x') + R"("})";
}

// Writes `path` until the file system has no byte left; returns how much it wrote.
std::size_t fillUp(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + path.string());
    std::string chunk(64 * 1024, 'f');
    std::size_t written = 0;
    for (;;) {
        auto n = ::write(fd, chunk.data(), chunk.size());
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    int error = errno;
    ::close(fd);
    if (error != ENOSPC)
        throw std::runtime_error("filling up stopped with " + std::to_string(error));
    return written;
}

int count(HttpClient& http, const std::string& project) {
    auto list = http.get("/api/tasks?projectId=" + project + "&limit=1");
    return std::stoi(list.header("X-Total-Count"));
}

} // namespace

class StorageFaults : public ::testing::Test {
protected:
    // Starts the server on a disk of its own with a project and a task, or skips the test,
    // saying why, where such a disk cannot be made.
    void start(PrivateMount::Kind kind, std::size_t bytes) {
        disk_ = std::make_unique<PrivateMount>(kind, home_.path(), bytes);
        if (auto why = disk_->unavailable()) GTEST_SKIP() << "cannot run: " << *why;
        server_ = std::make_unique<TestServer>(home_.path(),
                                               TestServer::Options{.wrapper = disk_->wrapper()});
        http_ = std::make_unique<HttpClient>(server_->client());
        project_ = http_->createProject();
        task_ = http_->createTask(project_, "kept");
        before_ = http_->get("/api/tasks/" + task_).body;
    }

    HttpClient& http() { return *http_; }

    TempDir home_;
    std::unique_ptr<PrivateMount> disk_;
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> http_;
    std::string project_, task_, before_;
};

TEST_F(StorageFaults, FullDiskAnswers507AndWritesResumeWhenSpaceReturns) {
    start(PrivateMount::Kind::Tmpfs, kDiskBytes);
    if (IsSkipped()) return;
    auto filler = PrivateMount::seenBy(server_->pid(), home_.path() / "filler");
    ASSERT_GT(fillUp(filler), 0u);

    // The WAL may still have room for a few writes; sooner or later one needs a new page.
    int created = 0;
    HttpResult refused;
    for (int i = 0; i < 200 && refused.status == 0; ++i) {
        auto result = http().post("/api/tasks", bigTask(project_, i));
        if (result.status == 201)
            ++created;
        else
            refused = result;
    }
    ASSERT_EQ(refused.status, 507) << refused.body;
    EXPECT_EQ(refused.reason, "Insufficient Storage");
    auto error = refused.object();
    EXPECT_EQ(error->getValue<std::string>("code"), "storage_full");
    EXPECT_TRUE(error->isObject("details"));

    // Reads keep working, and the refused write left nothing behind.
    EXPECT_EQ(http().get("/api/tasks/" + task_).body, before_);
    EXPECT_EQ(http().get("/api/status?projectId=" + project_).status, 200);
    EXPECT_EQ(count(http(), project_), 1 + created);
    auto patch = R"({"description":")" + std::string(90 * 1024, 'y') + R"("})";
    EXPECT_EQ(http().patch("/api/tasks/" + task_, patch).status, 507);
    EXPECT_EQ(http().get("/health").status, 200);

    std::filesystem::remove(filler);
    bool resumed =
        waitUntil([&] { return http().post("/api/tasks", bigTask(project_, 1000)).status == 201; });
    EXPECT_TRUE(resumed) << "writes must resume once space returns";
    EXPECT_EQ(count(http(), project_), 2 + created);
    EXPECT_EQ(http().patch("/api/tasks/" + task_, R"({"title":"changed"})").status, 200);
}

TEST_F(StorageFaults, FailingDiskAnswers503AndReadsKeepWorking) {
    start(PrivateMount::Kind::Ext4OnLoop, 32u << 20);
    if (IsSkipped()) return;
    // ext4 turns itself read-only on an error (errors=remount-ro), whoever has files open:
    // what a failing disk does under a running server.
    auto device = disk_->deviceIn(server_->pid());
    ASSERT_TRUE(device.starts_with("/dev/")) << device;
    auto trigger =
        "/sys/fs/ext4/" + std::filesystem::path(device).filename().string() + "/trigger_fs_error";
    if (!std::filesystem::exists(trigger))
        GTEST_SKIP() << "cannot run: this kernel has no " << trigger;
    std::ofstream(trigger) << "1\n";

    auto refused = http().post("/api/tasks", R"({"projectId":")" + project_ + R"(","title":"x"})");
    ASSERT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(refused.reason, "Service Unavailable");
    EXPECT_EQ(refused.object()->getValue<std::string>("code"), "storage_unavailable");
    EXPECT_FALSE(refused.header("Retry-After").empty());
    EXPECT_EQ(http().patch("/api/tasks/" + task_, R"({"title":"changed"})").status, 503);

    EXPECT_EQ(http().get("/api/tasks/" + task_).body, before_);
    EXPECT_EQ(count(http(), project_), 1);
    EXPECT_EQ(http().get("/api/status?projectId=" + project_).status, 200);
    EXPECT_EQ(http().get("/health").status, 200);
}
