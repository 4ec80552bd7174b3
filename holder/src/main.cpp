// maestro-session: holds one session's agent and terminal so that they outlive maestro-server
// (see Holder.h; the protocol is holder/Protocol.h, for people docs/sessions.md).
//
// Usage: maestro-session --dir DIR [--cwd DIR] [--cols N] [--rows N] [--report-fd N]
//                        -- COMMAND [ARG...]
// The agent gets this program's environment. Once the agent has started (or failed to), one
// line goes to the report descriptor (default: stdout) and it is closed:
//   ok <agent pid>        the session runs; the socket accepts connections
//   error <message>       nothing runs; the exit status is 1
#include "Holder.h"

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <maestro/skill_abi.h>
#include <string_view>
#include <unistd.h>

extern char** environ;

namespace {

void report(int fd, const std::string& line) {
    std::string text = line + "\n";
    std::string_view rest = text;
    while (!rest.empty()) {
        auto n = ::write(fd, rest.data(), rest.size());
        if (n <= 0) break;
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    // Closed, so the reader sees its end; a standard descriptor becomes /dev/null instead, so
    // its number is not reused for a client.
    if (fd > STDERR_FILENO) {
        ::close(fd);
    } else if (int null = ::open("/dev/null", O_RDWR | O_CLOEXEC); null >= 0) {
        ::dup2(null, fd);
        ::close(null);
    }
}

int usage(const std::string& problem) {
    std::cerr << "maestro-session: " << problem
              << "\nusage: maestro-session --dir DIR [--cwd DIR] [--cols N] [--rows N] "
                 "[--report-fd N] -- COMMAND [ARG...]\n";
    return MAESTRO_EXIT_USAGE;
}

} // namespace

int main(int argc, char** argv) {
    // Its own session: nothing aimed at the server's terminal or process group reaches it.
    ::setsid();
    std::signal(SIGPIPE, SIG_IGN);

    maestro::holder::HolderOptions options;
    int reportFd = STDOUT_FILENO;
    int i = 1;
    try {
        for (; i < argc; ++i) {
            std::string_view arg = argv[i];
            if (arg == "--") {
                ++i;
                break;
            }
            if (i + 1 >= argc) return usage("missing value for " + std::string(arg));
            std::string value = argv[++i];
            if (arg == "--dir")
                options.dir = value;
            else if (arg == "--cwd")
                options.agent.cwd = value;
            else if (arg == "--cols")
                options.agent.cols = std::stoi(value);
            else if (arg == "--rows")
                options.agent.rows = std::stoi(value);
            else if (arg == "--report-fd")
                reportFd = std::stoi(value);
            else
                return usage("unknown option " + std::string(arg));
        }
    } catch (const std::exception&) {
        return usage("not a number: " + std::string(argv[i]));
    }
    if (options.dir.empty() || i >= argc) return usage("--dir and a command are required");
    options.agent.command = argv[i];
    for (++i; i < argc; ++i)
        options.agent.args.emplace_back(argv[i]);
    if (options.agent.cwd.empty()) options.agent.cwd = std::filesystem::current_path().string();
    for (char** entry = environ; *entry; ++entry) {
        std::string_view text = *entry;
        auto eq = text.find('=');
        if (eq != std::string_view::npos)
            options.agent.env.emplace(text.substr(0, eq), text.substr(eq + 1));
    }

    try {
        maestro::holder::Holder holder(std::move(options));
        report(reportFd, "ok " + std::to_string(holder.agentPid()));
        return holder.run();
    } catch (const std::exception& e) {
        std::string message = e.what();
        std::replace(message.begin(), message.end(), '\n', ' ');
        std::cerr << "maestro-session: " << message << std::endl;
        report(reportFd, "error " + message);
        return 1;
    }
}
