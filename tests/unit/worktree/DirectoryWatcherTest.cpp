// inotify on real folders: what the change monitor learns of file activity.
#include "worktree/DirectoryWatcher.h"

#include "TempDir.h"

#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>

using maestro::host::worktree::DirectoryWatcher;
using maestro::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Waits (up to 5 s) for events and returns the keys that saw activity.
std::set<std::string> activity(DirectoryWatcher& watcher, std::set<std::string>& lost) {
    pollfd fd{watcher.fd(), POLLIN, 0};
    if (::poll(&fd, 1, 5000) <= 0) return {};
    return watcher.read(lost);
}

std::set<std::string> activity(DirectoryWatcher& watcher) {
    std::set<std::string> lost;
    return activity(watcher, lost);
}

void write(const fs::path& file, const std::string& text) {
    std::ofstream(file) << text;
}

} // namespace

TEST(DirectoryWatcher, SeesWritesBelowAWatchedFolderForItsKey) {
    TempDir a, b;
    fs::create_directories(a.path() / "deep/er");
    DirectoryWatcher watcher;
    ASSERT_TRUE(watcher.available());
    ASSERT_TRUE(watcher.add("a", a.path(), true));
    ASSERT_TRUE(watcher.add("b", b.path(), true));
    write(a.path() / "deep/er/file.txt", "x");
    EXPECT_EQ(activity(watcher), std::set<std::string>{"a"});
    fs::remove(a.path() / "deep/er/file.txt");
    EXPECT_EQ(activity(watcher), std::set<std::string>{"a"});
}

TEST(DirectoryWatcher, WatchesFoldersCreatedLater) {
    TempDir dir;
    DirectoryWatcher watcher;
    ASSERT_TRUE(watcher.add("k", dir.path(), true));
    fs::create_directories(dir.path() / "new");
    EXPECT_EQ(activity(watcher), std::set<std::string>{"k"});
    write(dir.path() / "new/file", "x");
    EXPECT_EQ(activity(watcher), std::set<std::string>{"k"});
}

TEST(DirectoryWatcher, LeavesGitFoldersAloneAndDoesNotRecurseWhenAskedNotTo) {
    TempDir repo, flat;
    fs::create_directories(repo.path() / ".git/objects");
    fs::create_directories(flat.path() / "below");
    DirectoryWatcher watcher;
    ASSERT_TRUE(watcher.add("repo", repo.path(), true));
    ASSERT_TRUE(watcher.add("flat", flat.path(), false));
    EXPECT_EQ(watcher.watchCount(), 2u);
    write(repo.path() / ".git/objects/x", "x");
    write(flat.path() / "below/y", "y");
    pollfd fd{watcher.fd(), POLLIN, 0};
    EXPECT_EQ(::poll(&fd, 1, 300), 0);
    write(flat.path() / "z", "z");
    EXPECT_EQ(activity(watcher), std::set<std::string>{"flat"});
}

TEST(DirectoryWatcher, GivesUpAKeyThatNeedsTooManyWatches) {
    TempDir dir;
    for (int i = 0; i < 5; ++i)
        fs::create_directories(dir.path() / ("d" + std::to_string(i)));
    DirectoryWatcher watcher(3);
    EXPECT_FALSE(watcher.add("k", dir.path(), true));
    EXPECT_FALSE(watcher.watching("k"));
    EXPECT_EQ(watcher.watchCount(), 0u);

    DirectoryWatcher roomy(10);
    ASSERT_TRUE(roomy.add("k", dir.path(), true));
    for (int i = 0; i < 6; ++i)
        fs::create_directories(dir.path() / ("n" + std::to_string(i)));
    std::set<std::string> lost;
    for (int i = 0; i < 10 && lost.empty(); ++i)
        activity(roomy, lost);
    EXPECT_EQ(lost, std::set<std::string>{"k"});
    EXPECT_FALSE(roomy.watching("k"));
}

TEST(DirectoryWatcher, ForgetsAKey) {
    TempDir dir;
    DirectoryWatcher watcher;
    ASSERT_TRUE(watcher.add("k", dir.path(), true));
    watcher.remove("k");
    EXPECT_FALSE(watcher.watching("k"));
    write(dir.path() / "f", "x");
    std::set<std::string> lost;
    EXPECT_TRUE(activity(watcher, lost).empty());
}
