#include "git/Git.h"

#include <string_view>

extern char** environ;

namespace maestro::host::git {

namespace {

// The server's environment without anything that would change which repository git works on
// or how it talks to people.
std::vector<std::string> gitEnvironment() {
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        std::string_view text = *entry;
        if (text.starts_with("GIT_") || text.starts_with("LC_") || text.starts_with("LANG") ||
            text.starts_with("PAGER=") || text.starts_with("EDITOR=") ||
            text.starts_with("VISUAL="))
            continue;
        env.emplace_back(text);
    }
    for (const char* fixed :
         {"LC_ALL=C", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0", "GIT_EDITOR=true",
          "GIT_PAGER=cat", "GIT_MERGE_AUTOEDIT=no", "GIT_ASKPASS=true", "SSH_ASKPASS=true"})
        env.emplace_back(fixed);
    return env;
}

std::string firstLine(const std::string& text) {
    auto end = text.find('\n');
    return text.substr(0, end);
}

std::string describe(const std::vector<std::string>& args) {
    std::string text = "git";
    for (const auto& arg : args) {
        if (text.size() > 120) return text + " …";
        text += ' ';
        text += arg;
    }
    return text;
}

} // namespace

Git::Git(std::filesystem::path executable)
    : executable_(std::move(executable)), environment_(gitEnvironment()) {}

CommandResult Git::run(const std::filesystem::path& dir, const std::vector<std::string>& args,
                       const GitOptions& options) const {
    if (!available()) throw GitError(GitError::Kind::NotRunnable, "git is not installed");
    CommandSpec spec;
    spec.program = executable_;
    spec.args = {"--no-pager", "-c", "core.quotepath=off", "-c", "color.ui=false"};
    spec.args.insert(spec.args.end(), args.begin(), args.end());
    spec.cwd = dir;
    spec.env = environment_;
    spec.env.insert(spec.env.end(), options.env.begin(), options.env.end());
    spec.timeout = options.timeout;
    spec.maxOutput = options.maxOutput;
    try {
        return runCommand(spec);
    } catch (const CommandError& e) {
        auto kind = e.kind() == CommandError::Kind::TimedOut ? GitError::Kind::TimedOut
                    : e.kind() == CommandError::Kind::OutputTooLarge
                        ? GitError::Kind::OutputTooLarge
                        : GitError::Kind::NotRunnable;
        throw GitError(kind, describe(args) + ": " + e.what());
    }
}

std::string Git::check(const std::filesystem::path& dir, const std::vector<std::string>& args,
                       const GitOptions& options) const {
    auto result = run(dir, args, options);
    if (!result.ok()) {
        auto message = firstLine(result.err);
        if (message.empty()) message = "exit status " + std::to_string(result.exitCode);
        throw GitError(GitError::Kind::Failed, describe(args) + ": " + message, result.exitCode,
                       std::move(result.err));
    }
    return std::move(result.out);
}

} // namespace maestro::host::git
