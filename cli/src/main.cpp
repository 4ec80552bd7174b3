// maestro: the command-line client of Maestro (docs/cli.md).
//
// The built-in commands, one group per file under commands/; the installed skills add theirs at
// run time from their manifests (see SkillSupport). Cli.cpp parses, dispatches, renders and maps
// every failure to its exit code.
#include "Cli.h"
#include "commands/Commands.h"

#include <csignal>
#include <iostream>

namespace {

using namespace maestro::cli;

// In the order `maestro --help` lists them.
constexpr GroupSetup kGroups[] = {
    commands::setupProject, // project list|create|get|delete
    commands::setupTask,    // task list|create|get|update|start|complete|block|unblock|delete|tree
    commands::setupSubtask, // subtask list|add|update|complete|delete|reorder
    commands::setupSession, // session list|get|spawn|stop|attach|logs|input|screen
    commands::setupReport,  // report progress|complete|blocked|needs-input|error
    commands::setupStatus,  // status
    commands::setupWhoami,  // whoami
    commands::setupEvents,  // events [--follow]
    commands::setupInbox,   // inbox [--follow]
    commands::setupHook,    // hook claude (run by agents' hooks)
    commands::setupSkill,   // skill list|info|validate
    commands::setupMcp,     // mcp (stdio MCP server)
};

} // namespace

int main(int argc, char** argv) {
    // A peer that resets a connection, or a pipe reader that quits, is an error to handle where
    // it happens, not a signal that ends the process.
    std::signal(SIGPIPE, SIG_IGN);
    return runCli(argc, argv, kGroups, std::cout, std::cerr);
}
