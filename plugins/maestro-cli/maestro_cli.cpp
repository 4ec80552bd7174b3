// maestro-cli: given to every session. The CLI command reference (this skill's skill.md) and an
// explanation of the session context go first in every brief; a spawn hook puts the `maestro`
// binary on PATH and points it at the server.
#include "task_context.hpp"

#include <cstdlib>
#include <maestro/skill.hpp>
#include <string>

namespace {

using namespace maestro::skill;

constexpr const char* kSessionContext = R"(# Your Maestro session

You are a Maestro **{{role}}** session{{#session.id}} `{{session.id}}`{{/session.id}}{{#session.name}} ("{{session.name}}"){{/session.name}}.
{{#project.name}}
Project **{{project.name}}** (`{{project.id}}`){{#project.workingDir}}, working directory `{{project.workingDir}}`{{/project.workingDir}}.
{{/project.name}}
{{#session.parentSessionId}}
You were spawned by session `{{session.parentSessionId}}`, which follows your progress.
{{/session.parentSessionId}}

Your environment tells the `maestro` CLI who you are, so ids can usually be left out:

- `MAESTRO_API_URL` = {{apiUrl}} (the server; `--server URL` overrides it)
- `MAESTRO_PROJECT_ID` = {{project.id}}
- `MAESTRO_SESSION_ID` = {{session.id}}
- `MAESTRO_TASK_ID` = {{task.id}} (the default for every TASK argument)
- `MAESTRO_ROLE` = {{role}}
- `MAESTRO_BRIEF_FILE`: this brief, to re-read at any time
{{#skills.length}}
- `MAESTRO_SKILLS`:{{#skills}} `{{.}}`{{/skills}}
{{/skills.length}}

Run `maestro whoami` to see this context, `maestro status` for the project overview.
)";

// PATH for the spawned session: the maestro binary's folder first, once.
std::string prependToPath(const std::string& dir, const std::string& path) {
    if (path == dir || path.starts_with(dir + ":")) return path;
    return path.empty() ? dir : dir + ":" + path;
}

std::string directoryOf(const std::string& file) {
    const auto slash = file.find_last_of('/');
    if (slash == std::string::npos) return {};
    return slash == 0 ? "/" : file.substr(0, slash);
}

HookResult putCliOnPath(const Host& host, std::string_view planJson) {
    std::string cliDir = host.config("cliDir").value_or("");
    if (cliDir.empty()) cliDir = directoryOf(host.config("cliPath").value_or(""));
    const std::string apiUrl = host.config("apiUrl").value_or("");

    Poco::JSON::Object::Ptr env(new Poco::JSON::Object);
    if (!cliDir.empty()) {
        const auto plan = maestro::plugins::parseObjectOrEmpty(planJson);
        const auto planEnv = plan->getObject("env");
        std::string path = maestro::plugins::stringOr(planEnv, "PATH");
        if (path.empty()) {
            const char* inherited = std::getenv("PATH");
            path = inherited != nullptr ? inherited : "/usr/local/bin:/usr/bin:/bin";
        }
        env->set("PATH", prependToPath(cliDir, path));
    } else {
        host.log(LogLevel::Warning, "no cliDir/cliPath configured: PATH left unchanged");
    }
    if (!apiUrl.empty()) env->set("MAESTRO_API_URL", apiUrl);
    if (env->size() == 0) return HookResult::keep();

    Poco::JSON::Object patch;
    patch.set("env", env);
    return HookResult::patch(maestro::plugins::toJson(patch));
}

class MaestroCli {
public:
    MaestroCli(const Host& host, Registrar& registrar) {
        registrar.textTemplate("session-context", {"*"}, kSessionContext);
        // The command reference is this skill's skill.md, so agents read one text everywhere.
        registrar.textTemplate("command-reference", {"*"},
                               maestro::plugins::readSkillFile(host, "skill.md"));
        // Order 0: runs first, so later hooks already see the CLI on PATH.
        registrar.spawnHook("cli-environment", {"*"}, 0,
                            [host](std::string_view plan) { return putCliOnPath(host, plan); });
    }
};

} // namespace

MAESTRO_SKILL(MaestroCli, "maestro-cli", "1.0.0")
