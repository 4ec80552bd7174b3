#pragma once

#include "skillhost/Manifest.h"
#include "skillhost/SkillInfo.h"

#include <compare>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maestro::skillhost {

// The skill roots of a Maestro home: `<home>/maestro-skills`, then each non-empty entry of
// MAESTRO_SKILLS_PATH (colon-separated; pass its value or nullptr). Earlier roots win when two
// folders declare the same skill id.
std::vector<std::filesystem::path> skillRoots(const std::filesystem::path& home,
                                              const char* skillsPathVariable);

// The skill folders below `roots`: each direct sub-folder holding manifest.json or SKILL.md,
// roots in the given order and folders by name within a root. Folders whose name starts with
// '.' are skipped (a place to stage a copy); missing roots are skipped.
std::vector<std::filesystem::path>
discoverSkillFolders(const std::vector<std::filesystem::path>& roots);

// Identity of one file: any change to the file (rewrite, replace, touch, chmod, chown) changes
// it.
struct FileStamp {
    std::string name;
    std::uintmax_t size = 0;
    std::int64_t mtimeNs = 0;
    std::uint64_t inode = 0;
    std::uint32_t mode = 0; // file type and permission bits
    std::uint32_t uid = 0;
    auto operator<=>(const FileStamp&) const = default;
};

// The stamps of the regular files directly inside a skill folder, and of the folder itself
// ("."), sorted by name.
using Fingerprint = std::vector<FileStamp>;
Fingerprint fingerprintFolder(const std::filesystem::path& dir);

// Every skill folder below `roots` with its fingerprint, in discovery order: what the watcher
// compares between polls and what SkillRegistry::rescan compares with what it has.
using Snapshot = std::vector<std::pair<std::filesystem::path, Fingerprint>>;
Snapshot snapshotRoots(const std::vector<std::filesystem::path>& roots);

// What reading one skill folder gave: a manifest, or the reason it is unusable.
struct ManifestResult {
    std::filesystem::path dir;
    std::optional<Manifest> manifest;
    std::string error;      // set when manifest is empty
    std::string id() const; // the manifest's id, else the folder name
};

// Reads manifest.json (or SKILL.md) of one folder; never loads a library, never throws.
ManifestResult readSkillFolder(const std::filesystem::path& dir);

// Reads every skill folder below `roots` without loading any library (what the CLI uses to know
// which commands exist).
std::vector<ManifestResult> listManifests(const std::vector<std::filesystem::path>& roots);

// The instructions (skill.md, or SKILL.md without front matter) of a manifest; "" if none.
std::string readInstructions(const Manifest& manifest);

// What a folder says about itself, without loading anything: status "instructions" for an
// instruction-only skill, "available" for a library skill (commands as declared), "rejected"
// with the reason when the folder is unusable. Reads skill.md for `instructions`.
SkillInfo describeSkillFolder(const ManifestResult& read);

// The skill command that argv starts with: the longest declared command path matching its
// leading words. `argsBegin` is the index in argv of the first argument after the path.
struct CommandMatch {
    std::string skillId;
    std::string path;
    std::size_t argsBegin = 0;
};
std::optional<CommandMatch> matchCommand(const std::vector<ManifestResult>& manifests,
                                         const std::vector<std::string>& argv);

} // namespace maestro::skillhost
