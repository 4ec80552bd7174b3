#include "git/NewFileDiff.h"

#include <cerrno>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace maestro::host::git {

namespace {

constexpr std::size_t kBinaryProbe = 8000; // what git inspects to call a file binary

struct Content {
    std::string bytes;
    bool symlink = false;
    bool executable = false;
};

// Reads a regular file or a symlink's target text; never follows the link itself, so a
// link to /etc/passwd shows as the text "/etc/passwd", as git stores it.
std::optional<Content> readEntry(const std::filesystem::path& root, const std::string& path,
                                 std::size_t maxBytes) {
    auto file = root / path;
    struct stat info {};
    if (::lstat(file.c_str(), &info) != 0) return std::nullopt;
    Content content;
    if (S_ISLNK(info.st_mode)) {
        content.symlink = true;
        content.bytes.resize(static_cast<std::size_t>(info.st_size) + 1);
        auto n = ::readlink(file.c_str(), content.bytes.data(), content.bytes.size());
        if (n < 0) return std::nullopt;
        content.bytes.resize(static_cast<std::size_t>(n));
        return content;
    }
    if (!S_ISREG(info.st_mode)) return std::nullopt; // a nested repository shows as a folder
    content.executable = (info.st_mode & S_IXUSR) != 0;
    int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    char buffer[65536];
    for (;;) {
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        content.bytes.append(buffer, static_cast<std::size_t>(n));
        if (content.bytes.size() > maxBytes) break;
    }
    ::close(fd);
    return content;
}

bool looksBinary(std::string_view bytes) {
    return bytes.substr(0, kBinaryProbe).find('\0') != std::string_view::npos;
}

int lineCount(std::string_view bytes) {
    int lines = 0;
    for (char c : bytes)
        lines += c == '\n';
    if (!bytes.empty() && bytes.back() != '\n') ++lines;
    return lines;
}

} // namespace

std::string quotedPath(const std::string& path) {
    bool plain = true;
    for (unsigned char c : path)
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') plain = false;
    if (plain) return path;
    std::string out = "\"";
    for (unsigned char c : path) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\a':
            out += "\\a";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\v':
            out += "\\v";
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                const char octal[] = {'\\', static_cast<char>('0' + (c >> 6)),
                                      static_cast<char>('0' + ((c >> 3) & 7)),
                                      static_cast<char>('0' + (c & 7)), 0};
                out += octal;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::optional<FileLines> countLines(const std::filesystem::path& root, const std::string& path) {
    auto content = readEntry(root, path, static_cast<std::size_t>(-1) / 2);
    if (!content) return std::nullopt;
    if (content->symlink) return FileLines{1, false};
    if (looksBinary(content->bytes)) return FileLines{0, true};
    return FileLines{lineCount(content->bytes), false};
}

std::optional<std::string> newFileDiff(const std::filesystem::path& root, const std::string& path,
                                       std::size_t maxBytes) {
    auto content = readEntry(root, path, maxBytes);
    if (!content) return std::string{};
    if (content->bytes.size() > maxBytes) return std::nullopt;
    auto a = quotedPath("a/" + path), b = quotedPath("b/" + path);
    std::string out = "diff --git " + a + " " + b + "\n";
    out += content->symlink      ? "new file mode 120000\n"
           : content->executable ? "new file mode 100755\n"
                                 : "new file mode 100644\n";
    if (!content->symlink && looksBinary(content->bytes)) {
        out += "Binary files /dev/null and " + b + " differ\n";
        return out;
    }
    std::string_view text = content->bytes;
    if (text.empty()) return out;
    int lines = lineCount(text);
    out += "--- /dev/null\n+++ " + b + "\n";
    out += "@@ -0,0 +1";
    if (lines != 1) out += "," + std::to_string(lines);
    out += " @@\n";
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        bool last = end == std::string_view::npos;
        if (last) end = text.size();
        out += '+';
        out.append(text.substr(start, end - start));
        out += '\n';
        if (last) out += "\\ No newline at end of file\n";
        start = end + 1;
        if (out.size() > maxBytes) return std::nullopt;
    }
    return out;
}

} // namespace maestro::host::git
