#pragma once

#include "Command.h"

// The built-in command groups. Each file under commands/ holds one group: a setup function that
// declares its commands (arguments, needs) and a run function that carries them out.
namespace maestro::cli::commands {

void setupProject(CLI::App& app, CommandTable& table);
void setupTask(CLI::App& app, CommandTable& table);
void setupSubtask(CLI::App& app, CommandTable& table);
void setupSession(CLI::App& app, CommandTable& table);
// session changes|diff|merge|discard, added to the session group by setupSession.
void setupSessionChanges(CLI::App& group, CommandTable& table);
void setupReport(CLI::App& app, CommandTable& table);
void setupStatus(CLI::App& app, CommandTable& table);
void setupWhoami(CLI::App& app, CommandTable& table);
void setupEvents(CLI::App& app, CommandTable& table);
void setupInbox(CLI::App& app, CommandTable& table);
void setupHook(CLI::App& app, CommandTable& table);
void setupSkill(CLI::App& app, CommandTable& table);
void setupMcp(CLI::App& app, CommandTable& table);

} // namespace maestro::cli::commands
