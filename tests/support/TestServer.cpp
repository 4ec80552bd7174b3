#include "TestServer.h"

#include "TestDatabase.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <mutex>
#include <poll.h>
#include <regex>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace maestro::test {

namespace {

std::string readLog(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
}

// The database of each home, kept until the test process ends: a restarted server (a new
// TestServer on the same home) finds its data there. SQLite's lives in the home itself.
std::string databaseOfHome(const std::filesystem::path& home) {
    if (serverBackend() == TestBackend::Sqlite) return "";
    static std::mutex mutex;
    static std::map<std::filesystem::path, std::unique_ptr<TestDatabase>> databases;
    std::lock_guard lock(mutex);
    auto& database = databases[home];
    if (!database) database = std::make_unique<TestDatabase>(TestBackend::Postgres);
    return database->url();
}

} // namespace

TestServer::TestServer(Options options)
    : ownedHome_(std::make_unique<TempDir>()), home_(ownedHome_->path()),
      options_(std::move(options)) {
    start();
}

TestServer::TestServer(const std::filesystem::path& home, Options options)
    : home_(home), options_(std::move(options)) {
    start();
}

TestServer::~TestServer() {
    if (running()) stop();
}

void TestServer::start() {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");

    auto serverHome = options_.serverHome.empty() ? home_ : options_.serverHome;
    std::vector<std::string> args = options_.wrapper;
    for (std::string arg : {options_.binary, std::string{"--port"}, std::to_string(options_.port),
                            std::string{"--home"}, serverHome.string()})
        args.push_back(std::move(arg));
    database_ = options_.database.empty() ? databaseOfHome(home_) : options_.database;
    if (!database_.empty()) args.insert(args.end(), {"--database", database_});
    args.insert(args.end(), options_.args.begin(), options_.args.end());
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e) {
        std::string entry = *e;
        if (entry.starts_with("MAESTRO_HOME=")) continue;
        envStrings.push_back(entry);
    }
    for (const auto& [key, value] : options_.env)
        envStrings.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (auto& entry : envStrings)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    auto log = logFile().string();
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    int rc = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        pid_ = -1;
        throw std::runtime_error(std::string("cannot start maestro-server: ") + std::strerror(rc));
    }

    // Read stdout until the line that names the port.
    std::string text;
    std::smatch match;
    static const std::regex kListening(R"(listening on http://[^:\s]+:(\d+))");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    bool ended = false; // stdout closed: the server is exiting
    while (!std::regex_search(text, match, kListening)) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd pfd{out[0], POLLIN, 0};
        if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
        char buffer[256];
        auto n = ::read(out[0], buffer, sizeof buffer);
        ended = n == 0;
        if (n <= 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    if (!std::regex_search(text, match, kListening)) {
        if (!ended) ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        throw StartFailure(ended && WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                           readLog(logFile()));
    }
    port_ = std::stoi(match[1]);
}

int TestServer::stop() {
    if (!running()) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    return status;
}

void TestServer::kill() {
    if (!running()) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

} // namespace maestro::test
