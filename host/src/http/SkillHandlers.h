#pragma once

#include "http/Exchange.h"
#include "service/EventRecorder.h"
#include "skillhost/SkillRegistry.h"
#include "store/Database.h"

#include <functional>
#include <vector>

namespace maestro::host::http {

// /api/skills: what is installed, loaded or rejected (and why), and rescans/reloads.
class SkillHandlers {
public:
    // announce records the skill:* events of a rescan or reload.
    using Announce = std::function<void(const std::vector<skillhost::SkillChange>&)>;
    SkillHandlers(skillhost::SkillRegistry& registry, Announce announce)
        : registry_(registry), announce_(std::move(announce)) {}

    Response list(Request& request);
    Response get(Request& request);
    Response forRole(Request& request);
    Response rescan(Request& request); // {"changes":[…],"skills":[…]}
    Response reload(Request& request);

private:
    skillhost::SkillRegistry& registry_;
    Announce announce_;
};

} // namespace maestro::host::http
