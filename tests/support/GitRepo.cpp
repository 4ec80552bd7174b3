#include "GitRepo.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace maestro::test {

namespace fs = std::filesystem;

const host::git::Git& testGit() {
    static const host::git::Git git = [] {
        const char* path = std::getenv("PATH");
        std::istringstream dirs(path ? path : "/usr/bin:/bin");
        std::string dir;
        while (std::getline(dirs, dir, ':')) {
            auto candidate = fs::path(dir.empty() ? "." : dir) / "git";
            if (::access(candidate.c_str(), X_OK) == 0) return host::git::Git(candidate);
        }
        throw std::runtime_error("git is not installed");
    }();
    return git;
}

GitRepo GitRepo::init(const fs::path& dir, const std::string& branch, bool bare) {
    fs::create_directories(dir);
    std::vector<std::string> args = {"init", "-q", "-b", branch};
    if (bare) args.push_back("--bare");
    args.push_back(dir.string());
    testGit().check(dir, args);
    GitRepo repo(dir);
    repo.git({"config", "user.name", "Test"});
    repo.git({"config", "user.email", "test@example.com"});
    return repo;
}

std::string GitRepo::git(const std::vector<std::string>& args) const {
    return testGit().check(dir_, args);
}

void GitRepo::write(const fs::path& file, const std::string& content) const {
    auto full = dir_ / file;
    fs::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary | std::ios::trunc) << content;
}

std::string GitRepo::read(const fs::path& file) const {
    std::ifstream in(dir_ / file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string GitRepo::commit(const std::string& message) const {
    git({"add", "--all"});
    git({"commit", "-q", "--allow-empty", "-m", message});
    return head();
}

std::string GitRepo::head() const {
    auto text = git({"rev-parse", "HEAD"});
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    return text;
}

void GitRepo::populate(int count) const {
    for (int i = 0; i < count; ++i) {
        auto folder = "src/module" + std::to_string(i / 50);
        write(folder + "/file" + std::to_string(i) + ".txt",
              "line one of file " + std::to_string(i) + "\nline two\nline three\n");
    }
    commit("populate " + std::to_string(count) + " files");
}

std::string checkoutFingerprint(const fs::path& dir) {
    std::map<std::string, std::string> entries;
    auto content = [](const fs::path& file) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
         ++it) {
        auto rel = fs::relative(it->path(), dir).string();
        if (rel == ".git") {
            it.disable_recursion_pending();
            continue;
        }
        struct stat info {};
        ::lstat(it->path().c_str(), &info);
        std::string entry = std::to_string(info.st_mode) + ":";
        if (it->is_symlink())
            entry += fs::read_symlink(it->path()).string();
        else if (it->is_regular_file())
            entry += content(it->path());
        entries[rel] = entry;
    }
    auto gitDir = dir / ".git";
    entries[".git/index"] = content(gitDir / "index");
    entries[".git/HEAD"] = content(gitDir / "HEAD");
    // Every branch and tag but the sessions' own (maestro/…), which are not the checkout's.
    std::istringstream refs(testGit().check(
        dir, {"for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/", "refs/tags/"}));
    for (std::string line; std::getline(refs, line);)
        if (!line.starts_with("refs/heads/maestro/")) entries["ref " + line] = "";
    std::string out;
    for (const auto& [path, entry] : entries)
        out += path + "\n" + entry + "\n";
    return out;
}

} // namespace maestro::test
