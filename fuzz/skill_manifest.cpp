// Fuzz target: what a skill folder declares — manifest.json and an Agent-Skills SKILL.md with
// YAML front matter (skillhost/Manifest). Each is either a valid manifest or refused with a
// SkillError; the first byte picks which parser reads the rest.
#include "skillhost/Manifest.h"
#include "skillhost/SkillError.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace maestro::skillhost;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        auto manifest = (data[0] & 1) ? parseAgentSkill(text, "/skills/x")
                                      : parseManifestJson(text, "/skills/x");
        // What a valid manifest promises the rest of the host.
        if (!isValidSkillId(manifest.id) || manifest.roles.empty()) std::abort();
        for (const auto& command : manifest.commands)
            if (!isValidCommandPath(command.name)) std::abort();
    } catch (const SkillError&) {
    }
    stripFrontMatter(text);
    return 0;
}
