#pragma once

#include "skillhost/SkillError.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::skillhost {

struct AbiVersion {
    std::uint32_t major = 0;
    std::uint32_t minor = 0;
    friend bool operator==(const AbiVersion&, const AbiVersion&) = default;
};

// The ABI this host implements (MAESTRO_ABI_MAJOR.MAESTRO_ABI_MINOR).
AbiVersion hostAbi();
std::string toString(AbiVersion abi);
// "1.0" -> {1, 0}; nullopt unless it is two dot-separated decimal numbers.
std::optional<AbiVersion> parseAbiVersion(std::string_view text);

struct ManifestCommand {
    std::string name;    // "worker init"
    std::string summary; // one line
};

enum class ManifestFormat {
    ManifestJson, // manifest.json (+ skill.md, + an optional library)
    AgentSkill,   // only an Agent-Skills style SKILL.md with YAML front matter
};

// What a skill folder declares about itself, read without loading anything.
struct Manifest {
    std::string id;
    std::string name;
    std::string version;
    std::string description;
    std::vector<std::string> roles; // "*" means every role
    std::string abi;                // "1.0"; empty for instruction-only skills that omit it
    std::string library;            // file name inside dir; empty: instruction-only skill
    std::vector<ManifestCommand> commands;
    std::filesystem::path dir;              // the skill folder
    std::filesystem::path instructionsFile; // skill.md or SKILL.md; empty when there is none
    ManifestFormat format = ManifestFormat::ManifestJson;

    bool instructionOnly() const noexcept { return library.empty(); }
    bool appliesTo(std::string_view role) const;
    bool declaresCommand(std::string_view path) const;
};

// True when `roles` holds `role` or "*".
bool rolesInclude(const std::vector<std::string>& roles, std::string_view role);

// Ids: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, ≤ 64 chars.
bool isValidSkillId(std::string_view id);
// Command paths: one or more lowercase words ([a-z0-9][a-z0-9-]*) separated by single spaces.
bool isValidCommandPath(std::string_view path);

// Parses and validates manifest.json text. `dir` is recorded, not read. Throws SkillError.
Manifest parseManifestJson(std::string_view json, const std::filesystem::path& dir);

// Parses an Agent-Skills SKILL.md (front matter: name, description, optional version and roles)
// as an instruction-only skill. Throws SkillError.
Manifest parseAgentSkill(std::string_view skillMd, const std::filesystem::path& dir);

// The instructions text of skill.md / SKILL.md, with any YAML front matter removed.
std::string stripFrontMatter(std::string_view markdown);

} // namespace maestro::skillhost
