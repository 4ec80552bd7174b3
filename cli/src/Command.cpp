#include "Command.h"

#include "Paths.h"
#include "PocoTransport.h"
#include "domain/Ids.h"

#include <CLI/App.hpp>
#include <fstream>

namespace maestro::cli {

void checkId(const std::string& id, const std::string& what) {
    if (!domain::isValidId(id))
        throw CliError::usage(what + " '" + id +
                              "' is not a valid id (1-128 letters, digits, '_' or '-')");
}

void checkText(const std::string& text, const std::string& what) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw CliError::usage(what + " must not be empty");
}

Invocation::Invocation(GlobalOptions globals, SessionEnv env, Output& output)
    : globals_(std::move(globals)), env_(std::move(env)), output_(output) {
    serverText_ = !globals_.server.empty() ? globals_.server
                  : !env_.apiUrl.empty()   ? env_.apiUrl
                                           : kDefaultServer;
    project_ = !globals_.project.empty() ? globals_.project : env_.projectId;
}

Invocation::~Invocation() = default;

void Invocation::prepare(const Needs& needs) {
    if (!project_.empty()) checkId(project_, "project");
    if (needs.project) requireProject();
    if (needs.server) server();
}

const ServerUrl& Invocation::server() {
    // Skill commands reach the server only if they call the API, so this may come late.
    if (!server_) {
        server_ = ServerUrl::parse(serverText_);
        retry_ = RetrySettings::fromEnvironment();
    }
    return *server_;
}

std::optional<std::string> Invocation::token() {
    if (const char* token = std::getenv("MAESTRO_TOKEN"); token && *token) return token;
    // The local server's token is only ever sent to a local server.
    if (!server().isLoopback()) return std::nullopt;
    std::ifstream in(maestroHome() / "token");
    std::string token;
    if (!in || !std::getline(in, token)) return std::nullopt;
    while (!token.empty() && (token.back() == '\r' || token.back() == ' '))
        token.pop_back();
    return token.empty() ? std::nullopt : std::optional<std::string>(token);
}

ApiClient& Invocation::api() {
    if (!api_) {
        const ServerUrl& url = server();
        ApiClient::Options options;
        options.retry = retry_;
        options.token = token();
        options.note = [this](const std::string& line) { output_.debug("retry: " + line); };
        api_ = std::make_unique<ApiClient>(url, std::make_unique<PocoTransport>(url.host, url.port),
                                           std::move(options));
    }
    return *api_;
}

std::optional<std::string> Invocation::optionalProject() const {
    return project_.empty() ? std::nullopt : std::optional<std::string>(project_);
}

const std::string& Invocation::requireProject() const {
    if (project_.empty())
        throw CliError::usage("no project: pass --project ID or set MAESTRO_PROJECT_ID");
    return project_;
}

std::string Invocation::idOrDefault(const std::string& given, const std::string& fallback,
                                    const std::string& what, const std::string& placeholder,
                                    const std::string& variable) const {
    const std::string& id = !given.empty() ? given : fallback;
    if (id.empty())
        throw CliError::usage("no " + what + ": pass " + placeholder + " or set " + variable);
    checkId(id, what);
    return id;
}

std::string Invocation::taskOrDefault(const std::string& given) const {
    return idOrDefault(given, env_.taskId, "task", "TASK", "MAESTRO_TASK_ID");
}

CLI::App* CommandTable::add(CLI::App& parent, const std::string& name, const std::string& summary,
                            Needs needs, RunFunction run) {
    CLI::App* app = parent.add_subcommand(name, summary);
    std::string path = parent.get_parent() ? parent.get_name() + " " + name : name;
    entries_.push_back(Entry{app, std::move(path), needs, std::move(run)});
    const Entry* entry = &entries_.back();
    app->callback([this, entry] { chosen_ = entry; });
    return app;
}

CLI::App* addGroup(CLI::App& app, const std::string& name, const std::string& summary) {
    CLI::App* group = app.add_subcommand(name, summary);
    group->require_subcommand(1);
    return group;
}

Result deletedResult(std::string body, const std::string& id) {
    return Result{std::move(body), [id](TextOut& out) { out.line("Deleted " + id); }, {id}};
}

} // namespace maestro::cli
