#pragma once

#include <cstdint>
#include <maestro/skill_abi.h>
#include <stdexcept>
#include <string>

namespace maestro::skillhost {

// Why a skill, its manifest, a template or one call into a skill cannot be used: the one
// failure type of skillhost/. what() is the reason people see (a rejected skill's `reason`, a
// brief part that failed, why a spawn was stopped); code() is the skill ABI status it stands
// for (MAESTRO_ERR_*), so a veto can be told from a failure and a registration fault can be
// handed back to the skill as its status.
class SkillError : public std::runtime_error {
public:
    explicit SkillError(const std::string& reason, std::int32_t code = MAESTRO_ERR_FAILED)
        : std::runtime_error(reason), code_(code) {}

    std::int32_t code() const noexcept { return code_; }

private:
    std::int32_t code_;
};

} // namespace maestro::skillhost
