#include "TestDatabase.h"

#include <arpa/inet.h>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <libpq-fe.h>
#include <mutex>
#include <netinet/in.h>
#include <random>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace maestro::test {

namespace {

// The throwaway cluster this process started itself, stopped when the process exits.
class OwnCluster {
public:
    OwnCluster() {
        char pattern[] = "/tmp/maestro-pg-XXXXXX";
        if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        url_ = run("start", std::to_string(freePort()));
    }
    ~OwnCluster() {
        try {
            run("stop");
        } catch (...) {
        }
    }
    const std::string& url() const noexcept { return url_; }

private:
    // A port nothing listens on now (the cluster binds it a moment later).
    static int freePort() {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        bool bound = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
        if (fd >= 0) ::close(fd);
        if (!bound) throw std::runtime_error("no free port");
        return ntohs(address.sin_port);
    }

    // scripts/throwaway-postgres.sh ACTION DIR [PORT]; returns the last line it printed.
    std::string run(const std::string& action, const std::string& port = "") {
        std::string command = std::string(MAESTRO_THROWAWAY_POSTGRES) + " " + action + " '" + dir_ +
                              "' " + port + " 2>&1";
        FILE* pipe = ::popen(command.c_str(), "r");
        if (!pipe) throw std::runtime_error("cannot run " + command);
        std::string output;
        char buffer[512];
        while (auto n = std::fread(buffer, 1, sizeof buffer, pipe))
            output.append(buffer, n);
        int status = ::pclose(pipe);
        if (status != 0) throw std::runtime_error(command + " failed:\n" + output);
        while (!output.empty() && (output.back() == '\n' || output.back() == '\r'))
            output.pop_back();
        auto lastLine = output.rfind('\n');
        return lastLine == std::string::npos ? output : output.substr(lastLine + 1);
    }

    std::string dir_;
    std::string url_;
};

// The URL of the cluster's `maestro` database, from which test databases are made.
const std::string& adminUrl() {
    static std::once_flag once;
    static std::string url;
    static std::unique_ptr<OwnCluster> own;
    std::call_once(once, [] {
        if (const char* shared = std::getenv("MAESTRO_TEST_POSTGRES"); shared && *shared) {
            url = shared;
            return;
        }
        own = std::make_unique<OwnCluster>();
        url = own->url();
    });
    return url;
}

void admin(const std::string& sql) {
    PGconn* connection = PQconnectdb(adminUrl().c_str());
    std::string error;
    if (PQstatus(connection) != CONNECTION_OK) {
        error = PQerrorMessage(connection);
    } else {
        PGresult* result = PQexec(connection, sql.c_str());
        if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
        PQclear(result);
    }
    PQfinish(connection);
    if (!error.empty()) throw std::runtime_error(sql + ": " + error);
}

// The admin URL with another database name: postgresql://user@host/NAME?params.
std::string withDatabase(const std::string& url, const std::string& name) {
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    auto query = url.find('?', slash == std::string::npos ? 0 : slash);
    if (slash == std::string::npos) throw std::runtime_error("no database in " + url);
    return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

} // namespace

std::string backendName(TestBackend backend) {
    return backend == TestBackend::Postgres ? "Postgres" : "Sqlite";
}

TestBackend serverBackend() {
    const char* chosen = std::getenv("MAESTRO_TEST_DATABASE");
    return chosen && std::string(chosen) == "postgresql" ? TestBackend::Postgres
                                                         : TestBackend::Sqlite;
}

TestDatabase::TestDatabase(TestBackend backend) : backend_(backend) {
    if (backend == TestBackend::Sqlite) {
        dir_ = std::make_unique<TempDir>();
        url_ = "sqlite:" + (dir_->path() / "test.db").string();
        return;
    }
    static std::atomic<int> created{0};
    // The pid and a random part: a database left by a test that crashed is never reused.
    name_ = "test_" + std::to_string(::getpid()) + "_" + std::to_string(++created) + "_" +
            std::to_string(std::random_device{}() % 1000000);
    admin("CREATE DATABASE " + name_);
    url_ = withDatabase(adminUrl(), name_);
}

TestDatabase::~TestDatabase() {
    if (name_.empty()) return;
    try {
        admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // The cluster goes away with the test run anyway.
    }
}

} // namespace maestro::test
