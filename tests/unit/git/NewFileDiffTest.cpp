// Untracked files rendered as git would show them added: checked by letting git apply them.
#include "git/NewFileDiff.h"

#include "GitRepo.h"
#include "TempDir.h"

#include <gtest/gtest.h>

using namespace maestro::host::git;
using maestro::test::GitRepo;
using maestro::test::TempDir;
using maestro::test::testGit;
namespace fs = std::filesystem;

namespace {

// Renders `path` from `from` and applies the diff with git apply in the empty repository
// `to`; returns the file as it came out.
std::string roundTrip(const GitRepo& from, const GitRepo& to, const std::string& path) {
    auto diff = newFileDiff(from.dir(), path, 1 << 20);
    EXPECT_TRUE(diff);
    to.write("patch.diff", *diff);
    to.git({"apply", "--whitespace=nowarn", "patch.diff"});
    fs::remove(to.dir() / "patch.diff");
    return to.read(path);
}

} // namespace

TEST(NewFileDiff, GitAppliesWhatItRenders) {
    TempDir dir;
    auto from = GitRepo::init(dir.path() / "from");
    auto to = GitRepo::init(dir.path() / "to");
    for (const auto& [path, content] :
         std::vector<std::pair<std::string, std::string>>{{"plain.txt", "one\ntwo\n"},
                                                          {"no-newline.txt", "one\ntwo"},
                                                          {"single.txt", "x\n"},
                                                          {"dir/with space é.txt", "unicode ✓\n"},
                                                          {"tab\there.txt", "tab\n"},
                                                          {"quote\"d.txt", "q\n"},
                                                          {"empty.txt", ""}}) {
        from.write(path, content);
        EXPECT_EQ(roundTrip(from, to, path), content) << path;
    }
}

TEST(NewFileDiff, ShowsBinaryFilesAndSymlinksAsGitDoes) {
    TempDir dir;
    auto from = GitRepo::init(dir.path() / "from");
    from.write("blob.bin", std::string("ab\0cd", 5));
    auto binary = newFileDiff(from.dir(), "blob.bin", 1 << 20);
    ASSERT_TRUE(binary);
    EXPECT_NE(binary->find("Binary files /dev/null and b/blob.bin differ"), std::string::npos);
    auto lines = countLines(from.dir(), "blob.bin");
    ASSERT_TRUE(lines);
    EXPECT_TRUE(lines->binary);

    fs::create_symlink("/etc/passwd", from.dir() / "link");
    auto link = newFileDiff(from.dir(), "link", 1 << 20);
    ASSERT_TRUE(link);
    EXPECT_NE(link->find("new file mode 120000"), std::string::npos);
    EXPECT_NE(link->find("+/etc/passwd\n\\ No newline at end of file"), std::string::npos);
    EXPECT_EQ(link->find("root:"), std::string::npos); // the link, never its target's content
    EXPECT_EQ(countLines(from.dir(), "link")->lines, 1);
}

TEST(NewFileDiff, CountsLinesAsNumstatDoes) {
    TempDir dir;
    auto repo = GitRepo::init(dir.path());
    repo.write("a", "1\n2\n3");
    repo.write("b", "1\n2\n");
    repo.write("c", "");
    EXPECT_EQ(countLines(repo.dir(), "a")->lines, 3);
    EXPECT_EQ(countLines(repo.dir(), "b")->lines, 2);
    EXPECT_EQ(countLines(repo.dir(), "c")->lines, 0);
    EXPECT_FALSE(countLines(repo.dir(), "missing"));
    repo.git({"add", "-N", "a", "b"});
    EXPECT_EQ(repo.git({"diff", "--numstat"}), "3\t0\ta\n2\t0\tb\n");
}

TEST(NewFileDiff, StopsAtTheLimit) {
    TempDir dir;
    auto repo = GitRepo::init(dir.path());
    repo.write("big.txt", std::string(10000, 'x') + "\n");
    EXPECT_FALSE(newFileDiff(repo.dir(), "big.txt", 1000));
}

TEST(NewFileDiff, QuotesPathsThatNeedIt) {
    EXPECT_EQ(quotedPath("a/plain é.txt"), "a/plain é.txt");
    EXPECT_EQ(quotedPath("a/tab\there"), "\"a/tab\\there\"");
    EXPECT_EQ(quotedPath("a/q\"\\"), "\"a/q\\\"\\\\\"");
    EXPECT_EQ(quotedPath(std::string("a/\x01", 3)), "\"a/\\001\"");
}
