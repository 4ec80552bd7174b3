#pragma once

#include "ApiClient.h"
#include "Output.h"
#include "SessionEnv.h"

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace maestro::cli {

inline constexpr const char* kDefaultServer = "http://127.0.0.1:3000";

// The options every command accepts (before or after its name).
struct GlobalOptions {
    std::string server;  // --server; empty: $MAESTRO_API_URL, then kDefaultServer
    std::string project; // --project; empty: $MAESTRO_PROJECT_ID
    bool json = false;
    bool quiet = false;
    bool verbose = false;
};

// What a command needs before it runs, declared beside it and checked before any request.
struct Needs {
    bool server = false;  // talks to the API: the server URL and retry settings must be valid
    bool project = false; // works inside one project: --project or $MAESTRO_PROJECT_ID is required
};
inline constexpr Needs kLocal{};
inline constexpr Needs kServer{.server = true};
inline constexpr Needs kServerAndProject{.server = true, .project = true};

// One run of one command: the resolved options, the session context, the output, and the API
// client (made on first use, so local commands never touch the network code).
class Invocation {
public:
    Invocation(GlobalOptions globals, SessionEnv env, Output& output);
    ~Invocation();

    // Resolves and validates what `needs` asks for; throws CliError (usage) when it is missing.
    void prepare(const Needs& needs);

    const GlobalOptions& globals() const noexcept { return globals_; }
    const SessionEnv& env() const noexcept { return env_; }
    Output& output() noexcept { return output_; }

    // The server URL: --server, else $MAESTRO_API_URL, else http://127.0.0.1:3000.
    const std::string& serverText() const noexcept { return serverText_; }
    // The server, its retry settings and token: checked by prepare() for commands that need
    // the server, on first use otherwise.
    const ServerUrl& server();
    const RetrySettings& retry() {
        server();
        return retry_;
    }
    std::optional<std::string> token();
    ApiClient& api();

    // --project, else $MAESTRO_PROJECT_ID; empty when neither is set.
    const std::string& project() const noexcept { return project_; }
    std::optional<std::string> optionalProject() const;
    // The project, or a usage error that says how to give one.
    const std::string& requireProject() const;
    // An id argument, else the session's default (e.g. $MAESTRO_TASK_ID), else a usage error
    // that names the argument and the variable. The id's form is checked too.
    std::string idOrDefault(const std::string& given, const std::string& fallback,
                            const std::string& what, const std::string& placeholder,
                            const std::string& variable) const;
    std::string taskOrDefault(const std::string& given) const;

private:
    GlobalOptions globals_;
    SessionEnv env_;
    Output& output_;
    std::string serverText_;
    std::string project_;
    std::optional<ServerUrl> server_;
    RetrySettings retry_;
    std::unique_ptr<ApiClient> api_;
};

// Throws a usage error unless `id` can name a resource ([A-Za-z0-9_-], 1-128 characters).
void checkId(const std::string& id, const std::string& what);
// Throws a usage error when `text` is empty or only blanks (titles, reasons, messages).
void checkText(const std::string& text, const std::string& what);

using RunFunction = std::function<Result(Invocation&)>;

// The built-in commands, each with its needs and run function. Group setup functions add their
// commands here; after parsing, chosen() is the one the command line named.
class CommandTable {
public:
    struct Entry {
        CLI::App* app = nullptr;
        std::string path; // "task create"
        Needs needs;
        RunFunction run;
    };

    // Adds `name` under `parent` and returns it, for the group to add its arguments.
    CLI::App* add(CLI::App& parent, const std::string& name, const std::string& summary,
                  Needs needs, RunFunction run);
    const Entry* chosen() const noexcept { return chosen_; }
    const std::deque<Entry>& entries() const noexcept { return entries_; }

private:
    std::deque<Entry> entries_; // stable addresses for the parse callbacks
    const Entry* chosen_ = nullptr;
};

// Adds a command group ("task") that requires one of its commands.
CLI::App* addGroup(CLI::App& app, const std::string& name, const std::string& summary);

// The result of a DELETE: the server's {"success":true,"id":…}, "Deleted ID" for people.
Result deletedResult(std::string body, const std::string& id);

// A group of built-in commands: adds its commands to the app and the table.
using GroupSetup = void (*)(CLI::App& app, CommandTable& table);

} // namespace maestro::cli
