#pragma once

#include "skillhost/Discovery.h"
#include "skillhost/HostServices.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace maestro::cli {

class Invocation;

// What a skill may ask of the CLI (the host table of the ABI): logging to stderr, a few
// configuration keys, calls into the API through the CLI's retrying client, and the session
// context of this invocation.
class CliHost : public skillhost::HostServices {
public:
    explicit CliHost(Invocation& invocation) : invocation_(invocation) {}

    void log(LogLevel level, std::string_view skillId, std::string_view message) override;
    // apiUrl, projectId, sessionId, taskId, role, home, cliPath, cliDir.
    std::optional<std::string> config(std::string_view key) override;
    ApiResponse callApi(std::string_view method, std::string_view path,
                        std::string_view body) override;
    std::string sessionContext() override;

private:
    Invocation& invocation_;
    std::mutex
        mutex_; // skills may call from several threads; the client and output are not shared-safe
};

// The session context skills receive: the MAESTRO_* variables with the server and project this
// invocation actually uses.
std::string skillContextJson(const Invocation& invocation);

// The "Skill commands" section of `maestro --help`: each declared command with its skill, and
// the skills whose manifest is unusable.
std::string skillCommandsHelp(const std::vector<skillhost::ManifestResult>& manifests);

// Declared skill commands that start with `word` ("worker" → "worker init"), for a helpful
// message when only part of a path was typed.
std::vector<std::string>
skillCommandsStartingWith(const std::vector<skillhost::ManifestResult>& manifests,
                          const std::string& word);

// Runs a skill command in this process, loading only the library of the skill that provides it.
// Returns the command's exit code; throws CliError 70 when the skill cannot be loaded.
int runSkillCommand(const skillhost::CommandMatch& match, const std::vector<std::string>& args,
                    Invocation& invocation);

// The skills below the skill roots as GET /api/skills shows them (a JSON array). Without
// `load` only the manifests are read (status "available"); with it every library is loaded in
// a child process, so a skill that crashes on load is reported instead of taking the CLI down.
std::string describeSkills(const std::vector<std::filesystem::path>& roots, bool load);

// Checks one skill folder: its manifest and (in a child process) loading its library. Returns
// the skill as GET /api/skills shows it, with status "rejected" and a reason when it is unusable.
std::string validateSkillFolder(const std::filesystem::path& dir);

} // namespace maestro::cli
