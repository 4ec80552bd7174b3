#include "git/Porcelain.h"

#include <charconv>
#include <stdexcept>

namespace maestro::host::git {

namespace {

[[noreturn]] void malformed(std::string_view what, std::string_view record) {
    throw std::invalid_argument("unexpected git output (" + std::string(what) +
                                "): " + std::string(record.substr(0, 200)));
}

// Splits off `count` space-separated fields; the rest of the record (a path, which may hold
// spaces) is returned in `rest`.
std::vector<std::string_view> fields(std::string_view record, std::size_t count,
                                     std::string_view& rest) {
    std::vector<std::string_view> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto space = record.find(' ');
        if (space == std::string_view::npos) malformed("too few fields", record);
        out.push_back(record.substr(0, space));
        record.remove_prefix(space + 1);
    }
    rest = record;
    return out;
}

int number(std::string_view text, std::string_view record) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 0)
        malformed("not a count", record);
    return value;
}

} // namespace

std::vector<std::string_view> splitNul(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto end = text.find('\0');
        if (end == std::string_view::npos) {
            out.push_back(text);
            break;
        }
        out.push_back(text.substr(0, end));
        text.remove_prefix(end + 1);
    }
    return out;
}

Status parseStatus(std::string_view text) {
    Status status;
    auto records = splitNul(text);
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto record = records[i];
        if (record.empty()) continue;
        std::string_view rest;
        switch (record.front()) {
        case '#': {
            if (record.starts_with("# branch.oid ")) {
                auto oid = record.substr(13);
                if (oid != "(initial)") status.head = oid;
            } else if (record.starts_with("# branch.head ")) {
                auto head = record.substr(14);
                if (head != "(detached)") status.branch = head;
            } else if (record.starts_with("# branch.upstream ")) {
                status.upstream = std::string(record.substr(18));
            } else if (record.starts_with("# branch.ab ")) {
                auto parts = fields(record.substr(12), 1, rest);
                if (parts[0].size() < 2 || parts[0][0] != '+' || rest.size() < 2 || rest[0] != '-')
                    malformed("branch.ab", record);
                status.ahead = number(parts[0].substr(1), record);
                status.behind = number(rest.substr(1), record);
            }
            break;
        }
        case '1': {
            auto parts = fields(record, 8, rest);
            if (parts[1].size() != 2) malformed("XY", record);
            status.entries.push_back({std::string(rest), parts[1][0], parts[1][1], false, false});
            break;
        }
        case '2': {
            // A rename or copy: the path, then (as its own record) the path it came from.
            auto parts = fields(record, 9, rest);
            if (parts[1].size() != 2) malformed("XY", record);
            status.entries.push_back({std::string(rest), parts[1][0], parts[1][1], false, false});
            ++i;
            break;
        }
        case 'u': {
            auto parts = fields(record, 10, rest);
            if (parts[1].size() != 2) malformed("XY", record);
            status.entries.push_back({std::string(rest), parts[1][0], parts[1][1], false, true});
            break;
        }
        case '?':
            if (record.size() < 3) malformed("untracked", record);
            status.entries.push_back({std::string(record.substr(2)), '.', '.', true, false});
            break;
        case '!':
            break;
        default:
            malformed("record type", record);
        }
    }
    return status;
}

std::vector<DiffEntry> parseRawNumstat(std::string_view text) {
    std::vector<DiffEntry> entries;
    auto records = splitNul(text);
    std::size_t i = 0;
    // The raw records: ":<old mode> <new mode> <old id> <new id> <status>", then the path.
    for (; i < records.size() && records[i].starts_with(':'); i += 2) {
        std::string_view rest;
        auto parts = fields(records[i].substr(1), 4, rest);
        if (rest.empty() || i + 1 >= records.size()) malformed("raw record", records[i]);
        DiffEntry entry;
        entry.oldMode = parts[0];
        entry.newMode = parts[1];
        entry.status = rest.front();
        entry.path = records[i + 1];
        entries.push_back(std::move(entry));
    }
    // Then numstat, in the same order: "<additions>\t<deletions>\t<path>".
    for (std::size_t n = 0; i < records.size(); ++i, ++n) {
        auto record = records[i];
        if (record.empty()) continue;
        auto tab1 = record.find('\t');
        auto tab2 = tab1 == std::string_view::npos ? tab1 : record.find('\t', tab1 + 1);
        if (tab2 == std::string_view::npos || n >= entries.size()) malformed("numstat", record);
        auto& entry = entries[n];
        if (record.substr(tab2 + 1) != entry.path) malformed("numstat order", record);
        auto added = record.substr(0, tab1), deleted = record.substr(tab1 + 1, tab2 - tab1 - 1);
        if (added == "-" && deleted == "-") {
            entry.binary = true;
        } else {
            entry.additions = number(added, record);
            entry.deletions = number(deleted, record);
        }
    }
    return entries;
}

MergeTreeResult parseMergeTree(std::string_view text) {
    auto records = splitNul(text);
    if (records.empty() || records.front().size() < 40) malformed("merge-tree", text);
    MergeTreeResult result;
    result.tree = records.front();
    for (std::size_t i = 1; i < records.size(); ++i) {
        if (records[i].empty()) break; // the messages would follow
        std::string path(records[i]);
        if (result.conflicts.empty() || result.conflicts.back() != path)
            result.conflicts.push_back(std::move(path));
    }
    return result;
}

std::vector<WorktreeEntry> parseWorktreeList(std::string_view text) {
    std::vector<WorktreeEntry> list;
    for (auto record : splitNul(text)) {
        if (record.empty()) continue; // ends one worktree's attributes
        if (record.starts_with("worktree ")) {
            list.push_back({std::string(record.substr(9)), {}, {}, false});
        } else if (list.empty()) {
            malformed("worktree list", record);
        } else if (record.starts_with("HEAD ")) {
            list.back().head = record.substr(5);
        } else if (record.starts_with("branch ")) {
            list.back().branch = record.substr(7);
        } else if (record == "bare") {
            list.back().bare = true;
        }
    }
    return list;
}

} // namespace maestro::host::git
