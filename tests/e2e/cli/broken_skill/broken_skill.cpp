// Skills that cannot start, as badly broken plugins would: built as "crash-skill", whose init
// takes the process down, and as "refusing-skill", whose init throws (the loader contains that).
#include <cstdlib>
#include <maestro/skill.hpp>
#include <stdexcept>

namespace {

class BrokenSkill {
public:
    BrokenSkill(const maestro::skill::Host&, maestro::skill::Registrar&) {
#if BROKEN_SKILL_ABORTS
        std::abort();
#else
        throw std::runtime_error("refusing to start");
#endif
    }
};

} // namespace

MAESTRO_SKILL(BrokenSkill, BROKEN_SKILL_ID, "1.0.0")
