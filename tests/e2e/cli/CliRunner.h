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
#include <string_view>
#include <sys/types.h>
#include <termios.h>
#include <thread>
#include <vector>

namespace maestro::test {

using namespace std::chrono_literals;

// What one run of maestro did.
struct CliResult {
    int exitCode = -1; // -1: it did not finish in time and was killed, or a signal ended it
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};
    int signal = 0; // the signal that ended it (0: it exited)

    // stdout as exactly one JSON document; fails the test (with the output) otherwise.
    Poco::JSON::Object::Ptr object() const;
    Poco::JSON::Array::Ptr array() const;
    // stdout as JSON lines (events --follow --json).
    std::vector<Poco::JSON::Object::Ptr> lines() const;
    // For assertion messages.
    std::string describe() const;
};

// What a child reads on stdin.
enum class ChildInput {
    None,     // /dev/null
    Pipe,     // a pipe: the test types with write() and ends it with closeInput()
    Terminal, // a pseudo-terminal (24 rows, 80 columns) on stdin and stdout: write() types on it,
              // out() is what it shows; stderr stays a pipe
};

// A child process with its output captured: a maestro still running (events --follow, a command
// waiting for a server), or a server the test starts itself.
class ChildProcess {
public:
    // argv[0] is the program's path; env is the whole environment ("NAME=value").
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                 ChildInput input = ChildInput::None);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    std::string out() const;
    std::string err() const;
    // Input for the child (ChildInput::Pipe or Terminal).
    void write(std::string_view bytes);
    // End of input: the child reads EOF (ChildInput::Pipe).
    void closeInput();
    // The terminal's size changes, as a window resized by hand does: SIGWINCH to the child.
    void resizeTerminal(int rows, int cols);
    // The terminal's mode as the child left it (ChildInput::Terminal).
    termios terminalMode() const;
    void signal(int number);
    // Waits for the exit; kills the process when the timeout passes first (exitCode -1).
    CliResult wait(std::chrono::milliseconds timeout = 30s);

private:
    void readOutput(int outFd, int errFd);

    pid_t pid_ = -1;
    int input_ = -1;    // the pipe's write end, or the terminal's master side
    int terminal_ = -1; // the terminal's master side

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
    // run() with `input` on stdin, then the end of it.
    CliResult runWithInput(const std::vector<std::string>& args, std::string_view input,
                           std::chrono::milliseconds timeout = 30s) const;
    // run() with --json first.
    CliResult json(std::vector<std::string> args, std::chrono::milliseconds timeout = 30s) const;
    std::unique_ptr<ChildProcess> start(const std::vector<std::string>& args,
                                        ChildInput input = ChildInput::None) const;

private:
    std::vector<std::string> environment() const;

    TempDir home_;
    std::map<std::string, std::string> env_;
};

} // namespace maestro::test
