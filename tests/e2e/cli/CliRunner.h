#pragma once

#include "TempDir.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace maestro::test {

using namespace std::chrono_literals;

// What one run of maestro did.
struct CliResult {
    int exitCode = -1; // -1: it did not finish in time and was killed
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};

    // stdout as exactly one JSON document; fails the test (with the output) otherwise.
    Poco::JSON::Object::Ptr object() const;
    Poco::JSON::Array::Ptr array() const;
    // stdout as JSON lines (events --follow --json).
    std::vector<Poco::JSON::Object::Ptr> lines() const;
    // For assertion messages.
    std::string describe() const;
};

// A child process with its output captured: a maestro still running (events --follow, a command
// waiting for a server), or a server the test starts itself.
class ChildProcess {
public:
    // argv[0] is the program's path; env is the whole environment ("NAME=value").
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    std::string out() const;
    std::string err() const;
    // Waits for the exit; kills the process when the timeout passes first (exitCode -1).
    CliResult wait(std::chrono::milliseconds timeout = 30s);

private:
    void readOutput(int outFd, int errFd);

    pid_t pid_ = -1;
    std::chrono::steady_clock::time_point started_;
    mutable std::mutex mutex_;
    std::string out_;
    std::string err_;
    std::thread reader_;
};

// Runs the built maestro binary with a controlled environment: no MAESTRO_* variable leaks in
// from the test's own environment, MAESTRO_HOME is a fresh directory (so no installed skill is
// seen unless a test puts one there) and MAESTRO_API_URL names the server under test.
class Cli {
public:
    explicit Cli(const std::string& serverUrl = {});

    Cli& set(const std::string& name, const std::string& value);
    Cli& unset(const std::string& name);
    const std::filesystem::path& home() const { return home_.path(); }
    // A skill folder installed in $MAESTRO_HOME/maestro-skills (copied).
    void installSkill(const std::filesystem::path& folder);

    CliResult run(const std::vector<std::string>& args,
                  std::chrono::milliseconds timeout = 30s) const;
    // run() with --json first.
    CliResult json(std::vector<std::string> args, std::chrono::milliseconds timeout = 30s) const;
    std::unique_ptr<ChildProcess> start(const std::vector<std::string>& args) const;

private:
    std::vector<std::string> environment() const;

    TempDir home_;
    std::map<std::string, std::string> env_;
};

} // namespace maestro::test
