#include "ContractLog.h"

#include "HttpClient.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <unistd.h>

namespace maestro::test {

namespace {

constexpr std::size_t kMaxBody = 1u << 20;

// The log of this process, opened on first use; null without MAESTRO_CONTRACT_LOG.
std::FILE* logFile() {
    static std::FILE* file = [] {
        const char* dir = std::getenv("MAESTRO_CONTRACT_LOG");
        if (!dir || !*dir) return static_cast<std::FILE*>(nullptr);
        std::filesystem::create_directories(dir);
        auto path = std::filesystem::path(dir) / (std::to_string(::getpid()) + ".jsonl");
        return std::fopen(path.c_str(), "a");
    }();
    return file;
}

} // namespace

void logExchange(const std::string& method, const std::string& target, const HttpResult& result) {
    auto* file = logFile();
    if (!file) return;
    auto type = result.header("content-type");
    Poco::JSON::Object line;
    line.set("method", method);
    line.set("target", target);
    line.set("status", result.status);
    line.set("contentType", type);
    // Kept as text: the checker parses it as the server's clients would.
    bool json = type.rfind("application/json", 0) == 0 && result.body.size() <= kMaxBody;
    line.set("body", json ? Poco::Dynamic::Var(result.body) : Poco::Dynamic::Var());
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(line, out);
    out << '\n';
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::fputs(out.str().c_str(), file);
    std::fflush(file);
}

} // namespace maestro::test
