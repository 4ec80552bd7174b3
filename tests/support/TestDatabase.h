#pragma once

#include "TempDir.h"

#include <gtest/gtest.h>
#include <memory>
#include <string>

namespace maestro::test {

// The store backends a suite runs against.
enum class TestBackend { Sqlite, Postgres };

// "Sqlite" / "Postgres": the suffix of a parameterised test's name.
std::string backendName(TestBackend backend);

// For INSTANTIATE_TEST_SUITE_P(Backends, Suite, everyBackend(), BackendName()).
inline auto everyBackend() {
    return ::testing::Values(TestBackend::Sqlite, TestBackend::Postgres);
}
struct BackendName {
    std::string operator()(const ::testing::TestParamInfo<TestBackend>& info) const {
        return backendName(info.param);
    }
};

// The backend the integration tests give the servers they start: PostgreSQL when
// MAESTRO_TEST_DATABASE is "postgresql" (how CMake registers the suites a second time),
// else SQLite.
TestBackend serverBackend();

// A fresh, empty database for one test, removed when this goes away: an SQLite file in a
// temporary directory, or a new database in the throwaway PostgreSQL of the test run, over
// TCP on 127.0.0.1 (scripts/throwaway-postgres.sh; CTest starts it once for all tests as the
// fixture `postgres` and names it in MAESTRO_TEST_POSTGRES; a test program run by hand starts
// its own and stops it when it exits). The servers under test count their Unix sockets —
// those are their sessions' — so their database is reached over TCP.
class TestDatabase {
public:
    explicit TestDatabase(TestBackend backend);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    TestBackend backend() const noexcept { return backend_; }
    // sqlite:PATH or postgresql://…: what Database::open and --database take.
    const std::string& url() const noexcept { return url_; }

private:
    TestBackend backend_;
    std::unique_ptr<TempDir> dir_; // SQLite
    std::string name_;             // PostgreSQL
    std::string url_;
};

} // namespace maestro::test
