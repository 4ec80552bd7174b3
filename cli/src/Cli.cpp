#include "Cli.h"

#include "Paths.h"
#include "SkillSupport.h"
#include "maestro_version.h"

#include <CLI/App.hpp>
#include <CLI/Config.hpp>
#include <CLI/Formatter.hpp>
#include <iostream>
#include <string_view>
#include <unistd.h>

namespace maestro::cli {

namespace {

// Options that take a value, so the scan for the command word can skip it.
bool takesValue(std::string_view arg) {
    return arg == "--server" || arg == "--project";
}

// The index of the first word that is not a global option, or argc.
int commandWordIndex(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--") return i + 1 < argc ? i + 1 : argc;
        if (arg.starts_with("-")) {
            if (takesValue(arg)) ++i;
            continue;
        }
        return i;
    }
    return argc;
}

bool hasFlag(int argc, const char* const* argv, std::string_view flag) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--") break;
        if (arg == flag) return true;
    }
    return false;
}

void addGlobalOptions(CLI::App& app, GlobalOptions& globals) {
    app.add_option("--server", globals.server,
                   "Maestro server URL (default $MAESTRO_API_URL, then http://127.0.0.1:3000)")
        ->type_name("URL")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.add_option("--project", globals.project, "Project id (default $MAESTRO_PROJECT_ID)")
        ->type_name("ID")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.add_flag("--json", globals.json, "Print exactly one JSON document");
    app.add_flag("-q,--quiet", globals.quiet, "Print only ids; no notes on stderr");
    app.add_flag("-v,--verbose", globals.verbose, "Explain retries and failures on stderr");
}

OutputOptions outputOptions(const GlobalOptions& globals) {
    OutputOptions options;
    options.json = globals.json;
    options.quiet = globals.quiet;
    options.verbose = globals.verbose;
    options.colour = colourWanted(STDOUT_FILENO);
    options.errorColour = colourWanted(STDERR_FILENO);
    return options;
}

// The word is neither a built-in command nor a skill command.
CliError unknownCommand(const std::string& word,
                        const std::vector<skillhost::ManifestResult>& manifests) {
    auto near = skillCommandsStartingWith(manifests, word);
    std::string message = "unknown command '" + word + "'";
    if (!near.empty()) {
        message += "; did you mean";
        for (std::size_t i = 0; i < near.size(); ++i)
            message += (i ? ", '" : " '") + near[i] + "'";
        message += "?";
    }
    return CliError::usage(message);
}

class Driver {
public:
    Driver(int argc, const char* const* argv, std::span<const GroupSetup> groups, std::ostream& out,
           std::ostream& err)
        : argc_(argc), argv_(argv), output_({}, out, err) {
        // Usage errors can happen before the parser has seen --json; honour it anyway.
        OutputOptions early = outputOptions(globals_);
        early.json = hasFlag(argc, argv, "--json");
        output_.setOptions(early);

        app_.name("maestro");
        app_.description("maestro: drive Maestro projects, tasks and agent sessions.");
        app_.set_version_flag("--version", kVersion);
        app_.fallthrough();
        app_.require_subcommand(0, 1);
        addGlobalOptions(app_, globals_);
        for (GroupSetup setup : groups)
            setup(app_, table_);
        app_.footer([this] { return helpFooter(); });
    }

    int run() {
        try {
            return dispatch();
        } catch (const CliError& error) {
            output_.error(error);
            return error.exitCode();
        } catch (const std::exception& error) {
            output_.error(CliError::internal(error.what()));
            return kExitInternal;
        } catch (...) {
            output_.error(CliError::internal("unknown failure"));
            return kExitInternal;
        }
    }

private:
    int dispatch() {
        const int word = commandWordIndex(argc_, argv_);
        if (word < argc_ && std::string_view(argv_[word]) == "help") {
            output_.out() << app_.help();
            return kExitOk;
        }
        if (word < argc_ && !isBuiltIn(argv_[word])) return runSkill(word);

        if (!parse(argc_)) return exitCode_;
        const auto* entry = table_.chosen();
        if (!entry) {
            // `maestro` alone: show what there is (as text; --json gets the error document).
            if (word >= argc_ && !globals_.json) {
                output_.out() << app_.help();
                return kExitUsage;
            }
            throw CliError::usage("a command is required");
        }
        Invocation invocation(globals_, SessionEnv::fromEnvironment(), output_);
        invocation.prepare(entry->needs);
        Result result = entry->run(invocation);
        output_.result(result);
        return result.exitCode;
    }

    bool isBuiltIn(std::string_view word) const {
        for (const CLI::App* sub : app_.get_subcommands([](const CLI::App*) { return true; }))
            if (sub->get_name() == word) return true;
        return false;
    }

    // Parses argv[0, count); false when parsing ended the run (help, version or a usage error)
    // and exitCode_ says how.
    bool parse(int count) {
        try {
            app_.parse(count, argv_);
        } catch (const CLI::CallForHelp&) {
            output_.out() << app_.help();
            exitCode_ = kExitOk;
            return false;
        } catch (const CLI::CallForAllHelp&) {
            output_.out() << app_.help("", CLI::AppFormatMode::All);
            exitCode_ = kExitOk;
            return false;
        } catch (const CLI::CallForVersion& version) {
            output_.out() << "maestro " << version.what() << '\n';
            exitCode_ = kExitOk;
            return false;
        } catch (const CLI::ParseError& error) {
            auto options = outputOptions(globals_); // as far as the parser got
            options.json = options.json || hasFlag(argc_, argv_, "--json");
            output_.setOptions(options);
            throw CliError::usage(error.what());
        }
        output_.setOptions(outputOptions(globals_));
        return true;
    }

    // A word that is not built in: a skill command, or a mistake.
    int runSkill(int word) {
        const auto manifests = skillhost::listManifests(skillRoots());
        std::vector<std::string> words(argv_ + word, argv_ + argc_);
        auto match = skillhost::matchCommand(manifests, words);
        // Global options go before the command; everything after its path is the skill's.
        if (!parse(word)) return exitCode_;
        if (!match) throw unknownCommand(words.front(), manifests);
        std::vector<std::string> args(words.begin() + static_cast<std::ptrdiff_t>(match->argsBegin),
                                      words.end());
        Invocation invocation(globals_, SessionEnv::fromEnvironment(), output_);
        invocation.prepare(kLocal);
        return runSkillCommand(*match, args, invocation);
    }

    std::string helpFooter() const {
        std::string footer =
            "Task ids default to $MAESTRO_TASK_ID, the project to $MAESTRO_PROJECT_ID.\n"
            "Exit codes: 0 ok, 64 usage, 65 refused by the server, 69 unreachable, 70 internal.";
        try {
            auto skills = skillCommandsHelp(skillhost::listManifests(skillRoots()));
            if (!skills.empty()) footer += "\n\n" + skills.substr(0, skills.size() - 1);
        } catch (const std::exception&) {
            // A broken skill folder must not break --help.
        }
        return footer;
    }

    int argc_;
    const char* const* argv_;
    GlobalOptions globals_;
    Output output_;
    CLI::App app_;
    CommandTable table_;
    int exitCode_ = kExitOk;
};

} // namespace

int runCli(int argc, const char* const* argv, std::span<const GroupSetup> groups, std::ostream& out,
           std::ostream& err) {
    try {
        Driver driver(argc, argv, groups, out, err);
        return driver.run();
    } catch (...) {
        err << "error: internal failure while setting up the command line\n";
        return kExitInternal;
    }
}

} // namespace maestro::cli
