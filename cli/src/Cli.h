#pragma once

#include "Command.h"

#include <iosfwd>
#include <span>

namespace maestro::cli {

// Runs the maestro command line: the built-in groups, then the installed skills' commands.
// Never throws; returns the exit code (0 / 64 usage / 65 refused / 69 unreachable / 70 internal).
int runCli(int argc, const char* const* argv, std::span<const GroupSetup> groups, std::ostream& out,
           std::ostream& err);

} // namespace maestro::cli
