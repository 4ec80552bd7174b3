// maestro whoami: the session context this process runs in, from the MAESTRO_* environment.
#include "commands/Commands.h"
#include "commands/Render.h"

#include <CLI/App.hpp>

namespace maestro::cli::commands {

namespace {

Result runWhoami(Invocation& inv) {
    const SessionEnv& env = inv.env();
    return Result{env.toJson(),
                  [server = inv.serverText(), env](TextOut& out) {
                      if (!env.inSession())
                          out.line("Not in a Maestro session (MAESTRO_SESSION_ID is not set).");
                      out.fields({
                          {"session", env.sessionId},
                          {"role", env.role},
                          {"project", env.projectId},
                          {"task", env.taskId},
                          {"tasks", render::joined(env.taskIds)},
                          {"skills", render::joined(env.skills)},
                          {"brief", env.briefFile},
                          {"parent session", env.parentSessionId},
                          {"server", server},
                      });
                  },
                  {env.sessionId}};
}

} // namespace

void setupWhoami(CLI::App& app, CommandTable& table) {
    table.add(app, "whoami", "Show the session context from the MAESTRO_* environment", kLocal,
              runWhoami);
}

} // namespace maestro::cli::commands
