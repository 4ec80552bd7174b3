#include "SkillSupport.h"

#include "CliError.h"
#include "Command.h"
#include "Json.h"
#include "Paths.h"
#include "skillhost/SkillInfo.h"
#include "skillhost/SkillRegistry.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace maestro::cli {

namespace fs = std::filesystem;
namespace {

constexpr std::chrono::seconds kLoadCheckTimeout{10};

// The host a skill sees while it is only being checked: it may log and read nothing.
class CheckHost : public skillhost::HostServices {
public:
    void log(LogLevel, std::string_view, std::string_view) override {}
    std::optional<std::string> config(std::string_view) override { return std::nullopt; }
    ApiResponse callApi(std::string_view, std::string_view, std::string_view) override {
        throw std::runtime_error("the Maestro API is not available while a skill is checked");
    }
    std::string sessionContext() override { return "{}"; }
};

// A fresh directory for private library copies and scratch roots, removed when it goes out of
// scope. mkdtemp, not a name from the pid: a check child that crashed leaves its directory
// behind, and pids come round again.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& purpose) {
        std::string pattern =
            (fs::temp_directory_path() / ("maestro-" + purpose + "-XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw CliError::internal("cannot create a scratch directory in " +
                                     fs::temp_directory_path().string() + ": " +
                                     std::strerror(errno));
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const fs::path& path() const noexcept { return path_; }

private:
    fs::path path_;
};

// Runs `work` in a child process and returns what it produced, so that a library that crashes
// or hangs while loading costs only the child. nullopt (and `failure`) when the child died.
std::optional<std::string> inChildProcess(const std::function<std::string()>& work,
                                          std::string& failure) {
    std::cout.flush();
    std::cerr.flush();
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        throw CliError::internal(std::string("pipe: ") + std::strerror(errno));
    const pid_t child = ::fork();
    if (child < 0) throw CliError::internal(std::string("fork: ") + std::strerror(errno));
    if (child == 0) {
        ::close(pipeFds[0]);
        // What a skill prints while loading must not reach our stdout.
        if (int devNull = ::open("/dev/null", O_WRONLY); devNull >= 0)
            ::dup2(devNull, STDOUT_FILENO);
        std::string result;
        int status = 0;
        try {
            result = work();
        } catch (const std::exception& e) {
            result = e.what();
            status = 1;
        } catch (...) {
            status = 1;
        }
        std::size_t written = 0;
        while (written < result.size()) {
            auto n = ::write(pipeFds[1], result.data() + written, result.size() - written);
            if (n <= 0) break;
            written += static_cast<std::size_t>(n);
        }
        ::_exit(status);
    }
    ::close(pipeFds[1]);
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + kLoadCheckTimeout;
    bool timedOut = false;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd pfd{pipeFds[0], POLLIN, 0};
        if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) == 0) {
            timedOut = true;
            ::kill(child, SIGKILL);
            break;
        }
        char buffer[4096];
        auto n = ::read(pipeFds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipeFds[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut) {
        failure =
            "did not finish loading within " + std::to_string(kLoadCheckTimeout.count()) + " s";
    } else if (WIFSIGNALED(status)) {
        failure = "crashed while loading (signal " + std::to_string(WTERMSIG(status)) + ", " +
                  strsignal(WTERMSIG(status)) + ")";
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        failure = "the load check failed: " + (output.empty() ? std::string("no reason") : output);
    } else {
        return output;
    }
    return std::nullopt;
}

// Loads one folder with the registry's own rules, in a child process; its GET /api/skills form.
json::Object loadChecked(const fs::path& dir) {
    const fs::path real = fs::weakly_canonical(dir);
    std::string failure;
    // Made here, not in the child: the parent removes it however the child ends.
    ScratchDir scratch("skill-check");
    auto output = inChildProcess(
        [&real, &scratch] {
            // A root holding only this folder (by a link), so nothing else is loaded.
            const fs::path root = scratch.path() / "root";
            fs::create_directories(root);
            fs::create_directory_symlink(real, root / real.filename());
            skillhost::SkillRegistry registry(std::make_shared<CheckHost>(),
                                              {{root}, scratch.path() / "cache", true});
            registry.rescan();
            auto skills = registry.list();
            if (skills.empty()) throw std::runtime_error("no manifest.json or SKILL.md");
            skills.front().dir = real;
            return json::stringify(skillhost::toJson(skills.front()));
        },
        failure);
    if (output) return json::parseObject(*output);
    // What is known without loading it, and why loading it failed.
    skillhost::SkillInfo info = skillhost::describeSkillFolder(skillhost::readSkillFolder(real));
    info.status = skillhost::SkillStatus::Rejected;
    info.reason = failure;
    return skillhost::toJson(info);
}

} // namespace

void CliHost::log(LogLevel level, std::string_view skillId, std::string_view message) {
    std::lock_guard lock(mutex_);
    const std::string line = "skill " + std::string(skillId) + ": " + std::string(message);
    if (level == LogLevel::Warning || level == LogLevel::Error)
        invocation_.output().note(line);
    else
        invocation_.output().debug(line);
}

std::optional<std::string> CliHost::config(std::string_view key) {
    const auto orNone = [](const std::string& value) {
        return value.empty() ? std::nullopt : std::optional<std::string>(value);
    };
    const auto& env = invocation_.env();
    if (key == "apiUrl") return invocation_.serverText();
    if (key == "projectId") return orNone(invocation_.project());
    if (key == "sessionId") return orNone(env.sessionId);
    if (key == "taskId") return orNone(env.taskId);
    if (key == "role") return orNone(env.role);
    if (key == "home") return maestroHome().string();
    if (key == "cliPath") return orNone(executablePath().string());
    if (key == "cliDir") return orNone(executablePath().parent_path().string());
    if (key == "output") {
        const auto& options = invocation_.output().options();
        return std::string(options.json ? "json" : options.quiet ? "quiet" : "text");
    }
    return std::nullopt;
}

skillhost::HostServices::ApiResponse
CliHost::callApi(std::string_view method, std::string_view path, std::string_view body) {
    std::lock_guard lock(mutex_);
    auto response = invocation_.api().exchange(method, path, std::string(body));
    return {response.status, std::move(response.body)};
}

std::string CliHost::sessionContext() {
    return skillContextJson(invocation_);
}

std::string skillContextJson(const Invocation& invocation) {
    SessionEnv env = invocation.env();
    env.apiUrl = invocation.serverText();
    env.projectId = invocation.project();
    return env.toJson();
}

std::string skillCommandsHelp(const std::vector<skillhost::ManifestResult>& manifests) {
    std::vector<std::pair<std::string, std::string>> rows; // command, summary [skill]
    std::vector<std::string> unusable;
    for (const auto& result : manifests) {
        if (!result.manifest) {
            unusable.push_back(result.id() + ": " + result.error);
            continue;
        }
        for (const auto& command : result.manifest->commands)
            rows.emplace_back(command.name, command.summary + " [" + result.manifest->id + "]");
    }
    if (rows.empty() && unusable.empty()) return {};
    std::size_t width = 0;
    for (const auto& row : rows)
        width = std::max(width, row.first.size());
    std::ostringstream out;
    if (!rows.empty()) {
        out << "Skill commands (from the installed skills):\n";
        for (const auto& [name, summary] : rows)
            out << "  " << name << std::string(width - name.size() + 2, ' ') << summary << '\n';
    }
    if (!unusable.empty()) {
        out << "Unusable skills (see 'maestro skill list'):\n";
        for (const auto& line : unusable)
            out << "  " << line << '\n';
    }
    return out.str();
}

std::vector<std::string>
skillCommandsStartingWith(const std::vector<skillhost::ManifestResult>& manifests,
                          const std::string& word) {
    std::vector<std::string> names;
    for (const auto& result : manifests) {
        if (!result.manifest) continue;
        for (const auto& command : result.manifest->commands)
            if (command.name.rfind(word + " ", 0) == 0) names.push_back(command.name);
    }
    return names;
}

namespace {

// With --json, stdout must hold exactly one JSON document. A skill that saw output "json" in
// its configuration and wrote one is passed through; anything else it wrote is wrapped.
std::string asOneJsonDocument(const skillhost::CommandMatch& match, int exitCode,
                              const std::string& written) {
    try {
        Poco::JSON::Parser parser;
        return json::stringify(parser.parse(written));
    } catch (const Poco::Exception&) {
        Poco::JSON::Object::Ptr wrapped(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
        wrapped->set("command", match.path);
        wrapped->set("skill", match.skillId);
        wrapped->set("exitCode", exitCode);
        wrapped->set("output", written);
        return json::stringify(wrapped);
    }
}

} // namespace

int runSkillCommand(const skillhost::CommandMatch& match, const std::vector<std::string>& args,
                    Invocation& invocation) {
    ScratchDir scratch("skills");
    const bool json = invocation.output().options().json;
    std::ostringstream captured; // what the skill writes, when it has to become JSON
    std::optional<int> code;
    std::string reason = "no usable skill provides it";
    {
        skillhost::SkillRegistry registry(std::make_shared<CliHost>(invocation),
                                          {skillRoots(), scratch.path(), false});
        registry.rescan();
        code = registry.runCommand(match.path, args, json ? captured : std::cout, std::cerr,
                                   skillContextJson(invocation));
        if (!code) {
            if (auto info = registry.get(match.skillId); info && !info->reason.empty())
                reason = info->reason;
        }
    }
    if (!code)
        throw CliError(kExitInternal, "skill_unavailable",
                       "cannot run '" + match.path + "' of skill " + match.skillId + ": " + reason);
    if (json) std::cout << asOneJsonDocument(match, *code, captured.str()) << '\n';
    std::cout.flush();
    return *code;
}

std::string describeSkills(const std::vector<fs::path>& roots, bool load) {
    ScratchDir scratch("skills");
    skillhost::SkillRegistry registry(std::make_shared<CheckHost>(),
                                      {roots, scratch.path(), false});
    registry.rescan();
    Poco::JSON::Array::Ptr items(new Poco::JSON::Array);
    for (const auto& info : registry.list()) {
        if (load && info.status == skillhost::SkillStatus::Available) {
            auto checked = loadChecked(info.dir);
            checked->set("dir", info.dir.string());
            items->add(checked);
        } else {
            items->add(skillhost::toJson(info));
        }
    }
    return json::stringify(items);
}

std::string validateSkillFolder(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw CliError::usage("'" + dir.string() + "' is not a directory");
    return json::stringify(loadChecked(dir));
}

} // namespace maestro::cli
