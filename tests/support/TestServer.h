#pragma once

#include "HttpClient.h"
#include "TempDir.h"

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

namespace maestro::test {

// The real maestro-server as a child process on 127.0.0.1:0 with its own home directory.
// Start-up waits (with a deadline) for the "listening on" line and a healthy /health.
class TestServer {
public:
    struct Options {
        std::vector<std::string> args;           // extra command-line arguments
        std::map<std::string, std::string> env;  // extra environment
        int port = 0;                            // 0: any free port
        std::string binary = MAESTRO_SERVER_BIN; // another build: an upgrade
        // --database; empty: a database of serverBackend() (TestDatabase.h) kept with the
        // home, so a server restarted on the same home finds its data.
        std::string database;
        // A command the server is started through, which execs it in the same process
        // (e.g. PrivateMount::wrapper()); pid() stays the server's.
        std::vector<std::string> wrapper;
        std::filesystem::path serverHome; // --home, when not home() (which then holds the log)
    };

    // Thrown by start() when the server exits instead of listening: how it ended, and its log.
    struct StartFailure : std::runtime_error {
        StartFailure(int code, std::string text)
            : std::runtime_error("maestro-server did not start (exit code " + std::to_string(code) +
                                 "); log:\n" + text),
              exitCode(code), log(std::move(text)) {}
        int exitCode; // -1: it did not exit by itself (killed at the deadline) or a signal ended it
        std::string log;
    };

    TestServer() : TestServer(Options{}) {}
    explicit TestServer(Options options);
    // Reuses another server's home: for restart tests.
    TestServer(const std::filesystem::path& home, Options options);
    ~TestServer();

    void start();
    // SIGTERM, then waits for a clean exit; returns the exit status.
    int stop();
    // SIGKILL: a crash.
    void kill();
    bool running() const noexcept { return pid_ > 0; }
    pid_t pid() const noexcept { return pid_; }

    int port() const noexcept { return port_; }
    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
    const std::filesystem::path& home() const noexcept { return home_; }
    const std::string& database() const noexcept { return database_; }
    std::filesystem::path logFile() const { return home_ / "server.log"; }
    HttpClient client() const { return HttpClient("127.0.0.1", port_); }

private:
    std::unique_ptr<TempDir> ownedHome_;
    std::filesystem::path home_;
    Options options_;
    std::string database_;
    pid_t pid_ = -1;
    int port_ = 0;
};

} // namespace maestro::test
