#include "domain/Worktree.h"

namespace maestro::domain {

std::string_view toString(Isolation isolation) noexcept {
    return isolation == Isolation::Worktree ? "worktree" : "none";
}

std::optional<Isolation> parseIsolation(std::string_view text) noexcept {
    if (text == "worktree") return Isolation::Worktree;
    if (text == "none") return Isolation::None;
    return std::nullopt;
}

std::string_view toString(WorktreeState state) noexcept {
    switch (state) {
    case WorktreeState::Active:
        return "active";
    case WorktreeState::Merged:
        return "merged";
    case WorktreeState::Discarded:
        return "discarded";
    }
    return "active";
}

void writeJson(json::Writer& out, const Worktree& worktree) {
    out.beginObject()
        .field("path", worktree.path)
        .field("branch", worktree.branch)
        .field("base", worktree.base)
        .field("baseCommit", worktree.baseCommit)
        .field("repository", worktree.repository)
        .field("state", toString(worktree.state))
        .field("diskBytes", worktree.diskBytes)
        .field("mergedCommit", worktree.mergedCommit)
        .field("changedFiles", worktree.changedFiles)
        .endObject();
}

Worktree worktreeFromJson(const Poco::JSON::Object& object) {
    auto text = [&object](const std::string& key) {
        auto value = object.get(key);
        return value.isEmpty() ? std::string{} : value.convert<std::string>();
    };
    Worktree worktree;
    worktree.path = text("path");
    worktree.branch = text("branch");
    worktree.base = text("base");
    worktree.baseCommit = text("baseCommit");
    worktree.repository = text("repository");
    auto state = text("state");
    worktree.state = state == "merged"      ? WorktreeState::Merged
                     : state == "discarded" ? WorktreeState::Discarded
                                            : WorktreeState::Active;
    if (auto bytes = object.get("diskBytes"); !bytes.isEmpty())
        worktree.diskBytes = bytes.convert<std::int64_t>();
    if (auto commit = text("mergedCommit"); !commit.empty()) worktree.mergedCommit = commit;
    if (auto files = object.get("changedFiles"); !files.isEmpty())
        worktree.changedFiles = files.convert<std::int64_t>();
    return worktree;
}

bool isValidBranchName(std::string_view name) noexcept {
    if (name.empty() || name.size() > 200) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-' || c == '/';
        if (!ok) return false;
    }
    if (name.back() == '/' || name.back() == '.' || name.ends_with(".lock")) return false;
    if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos)
        return false;
    // Every component: not empty, not starting with "." or "-".
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('/', start);
        if (end == std::string_view::npos) end = name.size();
        auto part = name.substr(start, end - start);
        if (part.empty() || part.front() == '.' || part.front() == '-' || part.ends_with(".lock"))
            return false;
        start = end + 1;
    }
    return name != "HEAD";
}

} // namespace maestro::domain
