#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace maestro::host::git {

// Untracked files are part of a session's changes, but `git diff` does not show them (and
// staging them just to diff would write into the agent's index). These read such a file the
// way git would show it as added.

// What a file holds, as git's numstat would count it.
struct FileLines {
    int lines = 0;
    bool binary = false; // a NUL byte in the first 8000 bytes, as git decides
};

// Lines of the file at root/path (not following a final symlink: a link counts as its
// target's text, one line). nullopt when it cannot be read (gone meanwhile).
std::optional<FileLines> countLines(const std::filesystem::path& root, const std::string& path);

// `diff --git a/path b/path` with "new file mode", and every line added, or "Binary files
// /dev/null and b/path differ". Empty when the file cannot be read. Stops (returns nullopt)
// when the text would pass maxBytes.
std::optional<std::string> newFileDiff(const std::filesystem::path& root, const std::string& path,
                                       std::size_t maxBytes);

// A path as git writes it in diff headers: as it is, or in double quotes with C escapes when
// it holds a control character, a double quote or a backslash.
std::string quotedPath(const std::string& path);

} // namespace maestro::host::git
