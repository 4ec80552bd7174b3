#include "skillhost/Discovery.h"

#include "TrustedFiles.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace maestro::skillhost {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kInstructionsFile = "skill.md";
constexpr const char* kAgentSkillFile = "SKILL.md";

bool isRegularFile(const fs::path& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

// The whole file, or nullopt when it does not exist (or is not a regular file). Plain POSIX
// calls: listing manifests is on every CLI invocation's path. The file must be one Maestro may
// trust (TrustedFiles.h), checked on the open descriptor, and stay inside `folder`.
std::optional<std::string> readSkillFile(const fs::path& path, const fs::path& folder) {
    requireInsideFolder(path, folder, path.string());
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
        throw SkillError("cannot read " + path.filename().string() + ": " + std::strerror(errno));
    }
    struct stat info {};
    std::string text;
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return std::nullopt;
    }
    try {
        requireTrusted(info, path.string());
    } catch (...) {
        ::close(fd);
        throw;
    }
    text.resize(static_cast<std::size_t>(info.st_size));
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t got = ::read(fd, text.data() + done, text.size() - done);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        done += static_cast<std::size_t>(got);
    }
    ::close(fd);
    text.resize(done);
    return text;
}

std::vector<fs::path> sortedSubfolders(const fs::path& root) {
    std::vector<fs::path> folders;
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.') continue;
        std::error_code typeError;
        if (it->is_directory(typeError)) folders.push_back(it->path());
    }
    std::sort(folders.begin(), folders.end());
    return folders;
}

} // namespace

std::vector<fs::path> skillRoots(const fs::path& home, const char* skillsPathVariable) {
    std::vector<fs::path> roots{home / "maestro-skills"};
    std::string_view rest = skillsPathVariable ? skillsPathVariable : "";
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const std::string_view entry = rest.substr(0, colon);
        if (!entry.empty()) {
            fs::path root(entry);
            if (std::find(roots.begin(), roots.end(), root) == roots.end()) roots.push_back(root);
        }
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return roots;
}

std::vector<fs::path> discoverSkillFolders(const std::vector<fs::path>& roots) {
    std::vector<fs::path> folders;
    for (const auto& root : roots) {
        for (auto& dir : sortedSubfolders(root)) {
            if (isRegularFile(dir / kManifestFile) || isRegularFile(dir / kAgentSkillFile)) {
                folders.push_back(std::move(dir));
            }
        }
    }
    return folders;
}

Fingerprint fingerprintFolder(const fs::path& dir) {
    Fingerprint stamps;
    const auto stamp = [&stamps](std::string name, const struct stat& info) {
        stamps.push_back(FileStamp{
            std::move(name), static_cast<std::uintmax_t>(info.st_size),
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
            static_cast<std::uint64_t>(info.st_ino), static_cast<std::uint32_t>(info.st_mode),
            static_cast<std::uint32_t>(info.st_uid)});
    };
    // The folder itself by owner and mode only: a chmod or chown of it, which changes no file,
    // must still be seen (its size and times change with every file written in it).
    if (struct stat folder{}; ::stat(dir.c_str(), &folder) == 0) {
        folder.st_size = 0;
        folder.st_mtim = {};
        stamp(".", folder);
    }
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        struct stat info {};
        if (::stat(it->path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
        stamp(it->path().filename().string(), info);
    }
    std::sort(stamps.begin(), stamps.end());
    return stamps;
}

Snapshot snapshotRoots(const std::vector<fs::path>& roots) {
    Snapshot snapshot;
    for (auto& dir : discoverSkillFolders(roots)) {
        Fingerprint fingerprint = fingerprintFolder(dir);
        snapshot.emplace_back(std::move(dir), std::move(fingerprint));
    }
    return snapshot;
}

std::string ManifestResult::id() const {
    return manifest ? manifest->id : dir.filename().string();
}

namespace {

// Reads a folder; nullopt when it holds neither manifest.json nor SKILL.md (not a skill). The
// folder and every file of it that is read must be ones Maestro may trust (TrustedFiles.h).
std::optional<ManifestResult> readIfSkill(const fs::path& dir) {
    const bool hasManifest = isRegularFile(dir / kManifestFile);
    if (!hasManifest && !isRegularFile(dir / kAgentSkillFile)) return std::nullopt;
    ManifestResult result{dir, std::nullopt, {}};
    try {
        struct stat folder {};
        if (::stat(dir.c_str(), &folder) != 0) {
            throw SkillError("cannot read " + dir.string() + ": " + std::strerror(errno));
        }
        requireTrusted(folder, "skill folder " + dir.string());
        Manifest manifest;
        if (hasManifest) {
            manifest = parseManifestJson(readSkillFile(dir / kManifestFile, dir).value_or(""), dir);
            for (const char* name : {kInstructionsFile, kAgentSkillFile}) {
                if (isRegularFile(dir / name)) {
                    manifest.instructionsFile = dir / name;
                    break;
                }
            }
            if (!manifest.instructionsFile.empty()) {
                readSkillFile(manifest.instructionsFile, dir);
            } else if (manifest.instructionOnly()) {
                throw SkillError("an instruction-only skill needs a skill.md beside "
                                 "manifest.json");
            }
        } else {
            manifest = parseAgentSkill(readSkillFile(dir / kAgentSkillFile, dir).value_or(""), dir);
            manifest.instructionsFile = dir / kAgentSkillFile;
        }
        result.manifest = std::move(manifest);
    } catch (const std::exception& e) {
        result.error = e.what();
    }
    return result;
}

} // namespace

ManifestResult readSkillFolder(const fs::path& dir) {
    if (auto result = readIfSkill(dir)) return std::move(*result);
    return ManifestResult{dir, std::nullopt, "no manifest.json or SKILL.md"};
}

std::vector<ManifestResult> listManifests(const std::vector<fs::path>& roots) {
    // Same folders as discoverSkillFolders, without stat-ing each manifest twice.
    std::vector<ManifestResult> results;
    for (const auto& root : roots) {
        for (const auto& dir : sortedSubfolders(root)) {
            if (auto result = readIfSkill(dir)) results.push_back(std::move(*result));
        }
    }
    return results;
}

std::string readInstructions(const Manifest& manifest) {
    if (manifest.instructionsFile.empty()) return {};
    return stripFrontMatter(readSkillFile(manifest.instructionsFile, manifest.dir).value_or(""));
}

SkillInfo describeSkillFolder(const ManifestResult& read) {
    SkillInfo info;
    info.dir = read.dir;
    info.id = read.id();
    if (!read.manifest) {
        info.status = SkillStatus::Rejected;
        info.reason = read.error;
        return info;
    }
    const Manifest& manifest = *read.manifest;
    try {
        info.instructions = readInstructions(manifest);
    } catch (const SkillError& e) { // changed since the folder was read
        info.status = SkillStatus::Rejected;
        info.reason = e.what();
        return info;
    }
    info.name = manifest.name;
    info.version = manifest.version;
    info.description = manifest.description;
    info.roles = manifest.roles;
    info.library = manifest.library;
    info.abi = manifest.abi;
    for (const auto& command : manifest.commands) {
        info.commands.push_back(CommandInfo{command.name, command.summary, {}});
    }
    info.status = manifest.instructionOnly() ? SkillStatus::Instructions : SkillStatus::Available;
    return info;
}

std::optional<CommandMatch> matchCommand(const std::vector<ManifestResult>& manifests,
                                         const std::vector<std::string>& argv) {
    std::optional<CommandMatch> best;
    for (const auto& result : manifests) {
        if (!result.manifest) continue;
        for (const auto& command : result.manifest->commands) {
            // Compare the path word by word with the leading arguments.
            std::size_t word = 0;
            std::string_view rest = command.name;
            bool matches = true;
            while (matches && !rest.empty()) {
                const auto space = rest.find(' ');
                matches = word < argv.size() && argv[word] == rest.substr(0, space);
                ++word;
                rest =
                    space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
            }
            if (matches && (!best || word > best->argsBegin)) {
                best = CommandMatch{result.manifest->id, command.name, word};
            }
        }
    }
    return best;
}

} // namespace maestro::skillhost
