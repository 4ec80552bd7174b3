#include "CliRunner.h"

#include <Poco/JSON/Parser.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace maestro::test {

namespace {

Poco::Dynamic::Var parseJson(const CliResult& result) {
    try {
        Poco::JSON::Parser parser;
        return parser.parse(result.out);
    } catch (const Poco::Exception& e) {
        ADD_FAILURE() << "stdout is not one JSON document (" << e.displayText() << ")\n"
                      << result.describe();
        throw;
    }
}

} // namespace

Poco::JSON::Object::Ptr CliResult::object() const {
    auto value = parseJson(*this);
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
        ADD_FAILURE() << "stdout is not a JSON object\n" << describe();
        throw std::runtime_error("not a JSON object");
    }
    return value.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr CliResult::array() const {
    auto value = parseJson(*this);
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
        ADD_FAILURE() << "stdout is not a JSON array\n" << describe();
        throw std::runtime_error("not a JSON array");
    }
    return value.extract<Poco::JSON::Array::Ptr>();
}

std::vector<Poco::JSON::Object::Ptr> CliResult::lines() const {
    std::vector<Poco::JSON::Object::Ptr> items;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        Poco::JSON::Parser parser;
        items.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());
    }
    return items;
}

std::string CliResult::describe() const {
    return "exit " + std::to_string(exitCode) + " after " + std::to_string(elapsed.count()) +
           " ms\n--- stdout\n" + out + "\n--- stderr\n" + err;
}

namespace {

// A pseudo-terminal's master side, its slave unlocked for the child to open by name.
int openTerminal(std::string& slaveName) {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0)
        throw std::runtime_error("cannot open a pseudo-terminal");
    slaveName = ::ptsname(master);
    winsize size{};
    size.ws_row = 24;
    size.ws_col = 80;
    ::ioctl(master, TIOCSWINSZ, &size);
    return master;
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::vector<std::string>& env, ChildInput input)
    : started_(std::chrono::steady_clock::now()) {
    int out[2] = {-1, -1}, err[2], in[2] = {-1, -1};
    std::string slaveName;
    if (input == ChildInput::Terminal) terminal_ = openTerminal(slaveName);
    if ((input == ChildInput::Pipe && ::pipe2(in, O_CLOEXEC) != 0) ||
        (input != ChildInput::Terminal && ::pipe2(out, O_CLOEXEC) != 0) ||
        ::pipe2(err, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    std::vector<char*> args, envp;
    for (const auto& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    for (const auto& entry : env)
        envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    switch (input) {
    case ChildInput::None:
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        break;
    case ChildInput::Pipe:
        posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
        break;
    case ChildInput::Terminal:
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, slaveName.c_str(),
                                         O_RDWR | O_NOCTTY, 0);
        posix_spawn_file_actions_adddup2(&actions, STDIN_FILENO, STDOUT_FILENO);
        break;
    }
    if (input != ChildInput::Terminal)
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    for (int fd : {in[0], out[1], err[1]})
        if (fd >= 0) ::close(fd);
    // The terminal's output is read through a descriptor of its own: the reader closes it.
    const int outFd =
        input == ChildInput::Terminal ? ::fcntl(terminal_, F_DUPFD_CLOEXEC, 0) : out[0];
    input_ = input == ChildInput::Terminal ? terminal_ : in[1];
    if (rc != 0) {
        ::close(outFd);
        ::close(err[0]);
        closeInput();
        if (terminal_ >= 0) ::close(terminal_);
        throw std::runtime_error(std::string("cannot start maestro: ") + std::strerror(rc));
    }
    reader_ = std::thread([this, outFd, errFd = err[0]] { readOutput(outFd, errFd); });
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (reader_.joinable()) reader_.join();
    closeInput();
    if (terminal_ >= 0) ::close(terminal_);
}

void ChildProcess::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::write(input_, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("cannot write the child's input");
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void ChildProcess::closeInput() {
    if (input_ >= 0 && input_ != terminal_) ::close(input_);
    input_ = terminal_;
}

void ChildProcess::resizeTerminal(int rows, int cols) {
    winsize size{};
    size.ws_row = static_cast<unsigned short>(rows);
    size.ws_col = static_cast<unsigned short>(cols);
    ::ioctl(terminal_, TIOCSWINSZ, &size);
    // The kernel tells the terminal's foreground group; the child is not in it here.
    signal(SIGWINCH);
}

termios ChildProcess::terminalMode() const {
    termios mode{};
    // A pseudo-terminal has one mode, read from either side.
    if (::tcgetattr(terminal_, &mode) != 0) throw std::runtime_error("tcgetattr failed");
    return mode;
}

void ChildProcess::signal(int number) {
    if (pid_ > 0) ::kill(pid_, number);
}

void ChildProcess::readOutput(int outFd, int errFd) {
    pollfd fds[2] = {{outFd, POLLIN, 0}, {errFd, POLLIN, 0}};
    int open = 2;
    while (open > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (auto& fd : fds) {
            if (fd.fd < 0 || !(fd.revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buffer[4096];
            auto n = ::read(fd.fd, buffer, sizeof buffer);
            if (n <= 0) {
                ::close(fd.fd);
                fd.fd = -1;
                --open;
                continue;
            }
            std::lock_guard lock(mutex_);
            (fd.fd == outFd ? out_ : err_).append(buffer, static_cast<std::size_t>(n));
        }
    }
}

std::string ChildProcess::out() const {
    std::lock_guard lock(mutex_);
    return out_;
}

std::string ChildProcess::err() const {
    std::lock_guard lock(mutex_);
    return err_;
}

CliResult ChildProcess::wait(std::chrono::milliseconds timeout) {
    CliResult result;
    int status = 0;
    const bool exited =
        pid_ > 0 &&
        waitUntil([this, &status] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
    if (!exited && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
    }
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started_);
    pid_ = -1;
    if (reader_.joinable()) reader_.join();
    result.exitCode = exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.signal = exited && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    result.out = out();
    result.err = err();
    return result;
}

Cli::Cli(const std::string& serverUrl) {
    if (!serverUrl.empty()) env_["MAESTRO_API_URL"] = serverUrl;
    env_["MAESTRO_HOME"] = home_.path().string();
}

Cli& Cli::set(const std::string& name, const std::string& value) {
    env_[name] = value;
    return *this;
}

Cli& Cli::unset(const std::string& name) {
    env_.erase(name);
    return *this;
}

void Cli::installSkill(const std::filesystem::path& folder) {
    const auto target = home_.path() / "maestro-skills" / folder.filename();
    std::filesystem::create_directories(target.parent_path());
    std::filesystem::copy(folder, target,
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::overwrite_existing);
}

std::vector<std::string> Cli::environment() const {
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        std::string text = *entry;
        if (text.starts_with("MAESTRO_") || text.starts_with("NO_COLOR=")) continue;
        env.push_back(text);
    }
    for (const auto& [name, value] : env_)
        env.push_back(name + "=" + value);
    return env;
}

CliResult Cli::run(const std::vector<std::string>& args, std::chrono::milliseconds timeout) const {
    return start(args)->wait(timeout);
}

CliResult Cli::runWithInput(const std::vector<std::string>& args, std::string_view input,
                            std::chrono::milliseconds timeout) const {
    auto child = start(args, ChildInput::Pipe);
    child->write(input);
    child->closeInput();
    return child->wait(timeout);
}

CliResult Cli::json(std::vector<std::string> args, std::chrono::milliseconds timeout) const {
    args.insert(args.begin(), "--json");
    return run(args, timeout);
}

std::unique_ptr<ChildProcess> Cli::start(const std::vector<std::string>& args,
                                         ChildInput input) const {
    std::vector<std::string> argv = {MAESTRO_CLI_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<ChildProcess>(argv, environment(), input);
}

} // namespace maestro::test
