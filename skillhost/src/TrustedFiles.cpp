#include "TrustedFiles.h"

#include "skillhost/SkillError.h"

#include <system_error>
#include <unistd.h>

namespace maestro::skillhost {

namespace fs = std::filesystem;

void requireTrusted(const struct stat& info, const std::string& what) {
    if (info.st_uid != ::geteuid()) {
        throw SkillError(what + " is owned by uid " + std::to_string(info.st_uid) +
                         ", not by the current user (uid " + std::to_string(::geteuid()) +
                         "); refusing to load it");
    }
    const bool group = (info.st_mode & S_IWGRP) != 0, others = (info.st_mode & S_IWOTH) != 0;
    if (!group && !others) return;
    // A sticky folder (like /tmp) still lets others add files, so it is no exception.
    const std::string who = group && others ? "group- and world-writable"
                            : group         ? "group-writable"
                                            : "world-writable";
    const std::string fix = group && others ? "go-w" : group ? "g-w" : "o-w";
    throw SkillError(what + " is " + who + "; refusing to load it (chmod " + fix + " it)");
}

void requireInsideFolder(const fs::path& file, const fs::path& folder, const std::string& what) {
    struct stat link {};
    if (::lstat(file.c_str(), &link) != 0 || !S_ISLNK(link.st_mode)) return;
    std::error_code ec;
    const fs::path target = fs::canonical(file, ec);
    if (ec) return; // a dangling link: opening it fails with its own reason
    const fs::path inside = fs::canonical(folder, ec);
    if (!ec && target.parent_path() == inside) return;
    throw SkillError(what + " is a symlink to " + target.string() +
                     ", outside its skill folder; refusing to load it");
}

} // namespace maestro::skillhost
