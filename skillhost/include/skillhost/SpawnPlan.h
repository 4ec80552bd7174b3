#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::skillhost {

// How a session is about to be started: built by the spawner, changed by the role's spawn
// hooks, stored with the session and launched — the one form a plan has from start to end.
// Hooks see it as JSON (toJson) and answer with a patch (applyPatch); nothing else converts it.
struct SpawnPlan {
    std::string sessionId;
    std::string projectId;
    std::vector<std::string> taskIds;
    std::string role;
    std::string agent;
    std::string command; // a path, or a name looked up in the session's PATH
    std::vector<std::string> args;
    std::string cwd;
    std::map<std::string, std::string> env; // set on top of the server's own environment
    std::string briefFile;
    int cols = 120;
    int rows = 32;
    std::string spawner; // "server" or "client": who starts the process
};

// {"sessionId","projectId","taskIds","role","agent","command","args","cwd","env","briefFile",
//  "cols","rows","spawner"}: what spawn hooks receive and what session:spawn_request carries.
std::string toJson(const SpawnPlan& plan);

// Applies a spawn hook's patch {"env":{"K":"V"|null}, "args":["appended"], "cwd":"/dir"}; blank
// text changes nothing. Throws SkillError saying what is wrong with a malformed patch, and then
// leaves the plan as it was.
void applyPatch(SpawnPlan& plan, std::string_view patchJson);

} // namespace maestro::skillhost
