#include "spawn/AgentHooks.h"

#include "json/Writer.h"
#include "spawn/ShellQuote.h"

#include <fstream>
#include <stdexcept>

namespace maestro::host::spawn {

namespace {

// How long Claude Code lets the hook run (seconds): the CLI answers well within it, and a
// server that is down must not hold the agent up for long.
constexpr int kHookTimeoutSeconds = 10;

} // namespace

std::filesystem::path writeClaudeHooks(const std::filesystem::path& dir,
                                       const std::filesystem::path& cli) {
    // A hook's command is a shell command line: the path is one quoted word.
    auto command =
        (cli.empty() ? std::string("maestro") : shellQuoted(cli.string())) + " hook claude";
    json::Writer out;
    out.beginObject().key("hooks").beginObject();
    for (const char* event : {"Notification", "Stop", "UserPromptSubmit", "PostToolUse"}) {
        out.key(event)
            .beginArray()
            .beginObject()
            .field("matcher", "")
            .key("hooks")
            .beginArray()
            .beginObject()
            .field("type", "command")
            .field("command", command)
            .field("timeout", kHookTimeoutSeconds)
            .endObject()
            .endArray()
            .endObject()
            .endArray();
    }
    out.endObject().endObject();
    auto file = dir / "hooks.json";
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream << out.take();
    if (!stream.flush()) throw std::runtime_error("cannot write " + file.string());
    return file;
}

} // namespace maestro::host::spawn
