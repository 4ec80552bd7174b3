#include "git/Repository.h"

#include <charconv>
#include <system_error>

namespace maestro::host::git {

namespace {

using namespace std::chrono_literals;

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string heads(const std::string& branch) {
    return "refs/heads/" + branch;
}

// Options that make `git diff` print the format the parsers and clients expect whatever the
// user's configuration says (external diff tools, text conversion, prefixes, relative paths).
const std::vector<std::string> kDiffOptions = {
    "--no-ext-diff",           "--no-textconv",   "--no-renames",
    "--no-relative",           "--src-prefix=a/", "--dst-prefix=b/",
    "--ignore-submodules=none"};

} // namespace

std::optional<RepositoryInfo> Repository::probe(const Git& git, const std::filesystem::path& dir) {
    auto where = git.run(dir, {"rev-parse", "--is-bare-repository", "--is-inside-work-tree",
                               "--path-format=absolute", "--git-common-dir"});
    if (!where.ok()) return std::nullopt;
    auto answers = lines(where.out);
    if (answers.size() < 3) return std::nullopt;
    RepositoryInfo info;
    info.bare = answers[0] == "true";
    info.commonDir = answers[2];
    if (answers[1] == "true")
        info.topLevel = trimmed(git.check(dir, {"rev-parse", "--show-toplevel"}));
    Repository repository(git, dir);
    auto symbolic = git.run(dir, {"symbolic-ref", "-q", "HEAD"});
    if (symbolic.ok()) {
        auto ref = trimmed(symbolic.out);
        if (ref.starts_with("refs/heads/")) info.branch = ref.substr(11);
    }
    info.head = repository.resolveCommit("HEAD").value_or("");
    return info;
}

std::filesystem::path Repository::gitDir() const {
    return trimmed(git_.check(dir_, {"rev-parse", "--absolute-git-dir"}));
}

std::optional<std::string> Repository::resolveCommit(const std::string& revision) const {
    auto result =
        git_.run(dir_, {"rev-parse", "-q", "--verify", "--end-of-options", revision + "^{commit}"});
    if (!result.ok()) return std::nullopt;
    return trimmed(result.out);
}

bool Repository::branchExists(const std::string& branch) const {
    return git_.run(dir_, {"show-ref", "--verify", "--quiet", heads(branch)}).ok();
}

std::vector<std::string> Repository::branchesStartingWith(const std::string& prefix) const {
    return lines(
        git_.check(dir_, {"for-each-ref", "--format=%(refname:lstrip=2)", heads(prefix) + "*"}));
}

void Repository::addWorktree(const std::filesystem::path& path, const std::string& branch,
                             const std::string& start, bool track) const {
    std::vector<std::string> args = {"worktree",    "add",  track ? "--track" : "--no-track",
                                     "-b",          branch, "--",
                                     path.string(), start};
    git_.check(dir_, args, {.timeout = 300s});
}

void Repository::initSubmodules() const {
    std::error_code ec;
    if (!std::filesystem::exists(dir_ / ".gitmodules", ec)) return;
    // The project's own submodules, cloned the way its main checkout got them; a submodule
    // given as a local path needs the file protocol, which git otherwise refuses to
    // submodules.
    git_.check(dir_,
               {"-c", "protocol.file.allow=always", "submodule", "update", "--init", "--recursive"},
               {.timeout = 600s});
}

void Repository::removeWorktree(const std::filesystem::path& path) const {
    auto removed =
        git_.run(dir_, {"worktree", "remove", "--force", "--force", "--", path.string()});
    if (!removed.ok()) {
        // git will not remove a worktree with submodules, nor one whose folder is already
        // gone: the folder is removed here and git told to forget it.
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
        if (ec) throw std::filesystem::filesystem_error("cannot remove worktree", path, ec);
    }
    pruneWorktrees();
}

void Repository::deleteBranch(const std::string& branch) const {
    if (branchExists(branch)) git_.check(dir_, {"branch", "-D", "--", branch});
}

void Repository::pruneWorktrees() const {
    git_.check(dir_, {"worktree", "prune"});
}

std::vector<WorktreeEntry> Repository::worktrees() const {
    return parseWorktreeList(git_.check(dir_, {"worktree", "list", "--porcelain", "-z"}));
}

Status Repository::status() const {
    return parseStatus(
        git_.check(dir_, {"status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all",
                          "--no-renames", "--ignore-submodules=none"}));
}

std::optional<std::string> Repository::mergeBase(const std::string& a, const std::string& b) const {
    auto result = git_.run(dir_, {"merge-base", "--end-of-options", a, b});
    if (!result.ok()) return std::nullopt;
    return trimmed(result.out);
}

std::pair<int, int> Repository::aheadBehind(const std::string& left,
                                            const std::string& right) const {
    auto text = trimmed(git_.check(
        dir_, {"rev-list", "--left-right", "--count", "--end-of-options", left + "..." + right}));
    auto tab = text.find('\t');
    int behind = 0, ahead = 0;
    if (tab == std::string::npos ||
        std::from_chars(text.data(), text.data() + tab, behind).ec != std::errc{} ||
        std::from_chars(text.data() + tab + 1, text.data() + text.size(), ahead).ec != std::errc{})
        throw GitError(GitError::Kind::Failed, "unexpected rev-list output: " + text);
    return {ahead, behind};
}

std::vector<DiffEntry> Repository::diffWorkingTree(const std::string& commit) const {
    std::vector<std::string> args = {"diff", "--raw", "--numstat", "-z"};
    args.insert(args.end(), kDiffOptions.begin(), kDiffOptions.end());
    args.insert(args.end(), {commit, "--"});
    return parseRawNumstat(git_.check(dir_, args));
}

std::string Repository::diffText(const std::string& commit, const std::optional<std::string>& path,
                                 std::size_t maxBytes) const {
    std::vector<std::string> args = {"diff", "--no-color"};
    args.insert(args.end(), kDiffOptions.begin(), kDiffOptions.end());
    args.insert(args.end(), {commit, "--"});
    // A literal path, never a pattern: "*.c" names the file "*.c".
    if (path) args.push_back(":(literal)" + *path);
    return git_.check(dir_, args, {.maxOutput = maxBytes});
}

std::vector<std::string> Repository::changedPaths(const std::string& from,
                                                  const std::string& to) const {
    // The output outlives the views splitNul makes into it.
    const auto output = git_.check(dir_, {"diff", "--name-only", "-z", "--no-renames",
                                          "--no-ext-diff", "--end-of-options", from, to});
    std::vector<std::string> paths;
    for (auto path : splitNul(output))
        paths.emplace_back(path);
    return paths;
}

std::vector<std::string> Repository::identityOptions() const {
    std::vector<std::string> options;
    Identity fallback;
    if (!git_.run(dir_, {"config", "--get", "user.name"}).ok())
        options.insert(options.end(), {"-c", "user.name=" + fallback.name});
    if (!git_.run(dir_, {"config", "--get", "user.email"}).ok())
        options.insert(options.end(), {"-c", "user.email=" + fallback.email});
    return options;
}

std::optional<std::string> Repository::commitAll(const std::string& message) const {
    git_.check(dir_, {"add", "--all"});
    if (git_.run(dir_, {"diff", "--cached", "--quiet", "--ignore-submodules=none"}).ok())
        return std::nullopt;
    auto args = identityOptions();
    args.insert(args.end(), {"commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message});
    git_.check(dir_, args);
    return resolveCommit("HEAD");
}

MergeTreeResult Repository::mergeTree(const std::string& ours, const std::string& theirs) const {
    auto result = git_.run(dir_, {"merge-tree", "--write-tree", "-z", "--name-only",
                                  "--no-messages", "--end-of-options", ours, theirs});
    // 0: clean, 1: conflicts; anything else is an error.
    if (result.exitCode != 0 && result.exitCode != 1)
        throw GitError(GitError::Kind::Failed, "git merge-tree: " + trimmed(result.err),
                       result.exitCode, result.err);
    auto merged = parseMergeTree(result.out);
    if (result.exitCode == 1 && merged.conflicts.empty())
        throw GitError(GitError::Kind::Failed, "git merge-tree reported conflicts without files", 1,
                       result.err);
    return merged;
}

std::string Repository::commitTree(const std::string& tree, const std::vector<std::string>& parents,
                                   const std::string& message) const {
    auto args = identityOptions();
    args.insert(args.end(), {"commit-tree", "--no-gpg-sign", "-m", message});
    for (const auto& parent : parents)
        args.insert(args.end(), {"-p", parent});
    args.push_back(tree);
    return trimmed(git_.check(dir_, args));
}

void Repository::switchTree(const std::string& from, const std::string& to) const {
    git_.check(dir_, {"read-tree", "-m", "-u", from, to});
}

void Repository::updateRef(const std::string& ref, const std::string& commit,
                           const std::string& expected, const std::string& message) const {
    git_.check(dir_, {"update-ref", "-m", message, ref, commit, expected});
}

} // namespace maestro::host::git
