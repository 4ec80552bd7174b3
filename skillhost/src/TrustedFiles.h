#pragma once

#include <filesystem>
#include <string>
#include <sys/stat.h>

namespace maestro::skillhost {

// What a skill is made of — its folder, manifest.json, skill.md or SKILL.md, its library — ends
// up in every agent's brief or runs inside Maestro, so each must be as trustworthy as Maestro's
// own files: owned by the user running Maestro and writable by nobody else. These throw
// SkillError with the reason shown for a rejected skill; `what` names the thing ("library
// /path/x.so", "skill folder /path").

// Refuses a file or folder owned by another user, or writable by its group or by others.
void requireTrusted(const struct stat& info, const std::string& what);

// Refuses `file` (a name inside `folder`) when it is a symlink that resolves to something outside
// `folder`: a link to a file next to it is fine, a link out is a way around the checks.
void requireInsideFolder(const std::filesystem::path& file, const std::filesystem::path& folder,
                         const std::string& what);

} // namespace maestro::skillhost
