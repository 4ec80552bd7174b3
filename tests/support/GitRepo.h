#pragma once

#include "git/Git.h"

#include <filesystem>
#include <string>
#include <vector>

namespace maestro::test {

// The git program on PATH, for tests that make real repositories.
const host::git::Git& testGit();

// A real git repository in a folder of the caller's (usually a TempDir), for tests: files
// written and committed with an identity of its own.
class GitRepo {
public:
    // git init -b `branch` (bare: --bare) in `dir`, created if needed.
    static GitRepo init(const std::filesystem::path& dir, const std::string& branch = "main",
                        bool bare = false);
    explicit GitRepo(std::filesystem::path dir) : dir_(std::move(dir)) {}

    const std::filesystem::path& dir() const noexcept { return dir_; }
    // Runs git here; throws (with git's message) unless it succeeds. Returns stdout.
    std::string git(const std::vector<std::string>& args) const;
    void write(const std::filesystem::path& file, const std::string& content) const;
    std::string read(const std::filesystem::path& file) const;
    // Stages everything and commits; returns the commit.
    std::string commit(const std::string& message) const;
    std::string head() const; // the commit HEAD is at
    // Files named file0 … file<count-1> spread over folders, committed (for benchmarks).
    void populate(int count) const;

private:
    std::filesystem::path dir_;
};

// Everything that makes a checkout what it is — every file outside .git (path, mode, bytes),
// the index, HEAD and what every branch and tag points at, sessions' maestro/… branches
// aside — as one string. Two equal fingerprints mean
// the checkout did not change by a byte.
std::string checkoutFingerprint(const std::filesystem::path& dir);

} // namespace maestro::test
