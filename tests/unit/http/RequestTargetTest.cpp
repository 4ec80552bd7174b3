#include "http/RequestTarget.h"

#include "TempDir.h"
#include "domain/ApiError.h"
#include "http/ContainedPath.h"

#include <fstream>
#include <gtest/gtest.h>

using maestro::host::http::ContainedPath;
using maestro::host::http::RequestTarget;
using Segments = std::vector<std::string>;

TEST(RequestTarget, DecodesEachSegmentExactlyOnce) {
    auto target = RequestTarget::parse("/a/%252e%252e/%2e%2e/b%2fc?x=%2F");
    EXPECT_EQ(target.path, "/a/%252e%252e/%2e%2e/b%2fc");
    EXPECT_EQ(target.segments, (Segments{"a", "%2e%2e", "..", "b/c"}));
    EXPECT_EQ(target.query, "x=%2F");
    auto query = target.queryParameters();
    ASSERT_EQ(query.size(), 1u);
    EXPECT_EQ(query[0].second, "/");
}

TEST(RequestTarget, TakesThePathOfAnAbsoluteFormTarget) {
    EXPECT_EQ(RequestTarget::parse("http://127.0.0.1:3000/api/tasks?limit=1").segments,
              (Segments{"api", "tasks"}));
    EXPECT_TRUE(RequestTarget::parse("HTTP://localhost").segments.empty());
}

TEST(RequestTarget, RefusesMalformedTargetsAsInvalidUri) {
    for (const char* bad :
         {"", "*", "api/tasks", "ftp://host/x", "/%", "/%2", "/%zz", "/a%g0", "http://host?x"}) {
        try {
            RequestTarget::parse(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const maestro::domain::ApiError& e) {
            EXPECT_EQ(e.status(), 400) << bad;
            EXPECT_EQ(e.code(), "invalid_uri") << bad;
        }
    }
}

TEST(ContainedPath, RefusesSegmentsThatCouldLeaveTheRoot) {
    maestro::test::TempDir root;
    std::ofstream(root.path() / "file.txt") << "x";
    using Kind = ContainedPath::Kind;
    EXPECT_EQ(ContainedPath::resolve(root.path(), {"file.txt"}).kind, Kind::Found);
    EXPECT_EQ(ContainedPath::resolve(root.path(), {"missing.txt"}).kind, Kind::Missing);
    for (const Segments& bad :
         {Segments{".."}, Segments{"."}, Segments{"a", "..", ".."}, Segments{"../file.txt"},
          Segments{"a\\..\\b"}, Segments{std::string("file.txt\0.js", 12)},
          Segments{"\xc0\xae\xc0\xae"}, Segments{""}})
        EXPECT_EQ(ContainedPath::resolve(root.path(), bad).kind, Kind::Refused);
}

TEST(ContainedPath, RefusesSymlinksThatLeadOutOfTheRoot) {
    maestro::test::TempDir outside;
    maestro::test::TempDir root;
    std::ofstream(outside.path() / "secret") << "s";
    std::filesystem::create_symlink(outside.path() / "secret", root.path() / "file");
    std::filesystem::create_directory_symlink(outside.path(), root.path() / "dir");
    std::filesystem::create_directory(root.path() / "inner");
    std::filesystem::create_symlink(root.path() / "inner", root.path() / "alias");
    using Kind = ContainedPath::Kind;
    EXPECT_EQ(ContainedPath::resolve(root.path(), {"file"}).kind, Kind::Refused);
    EXPECT_EQ(ContainedPath::resolve(root.path(), {"dir", "secret"}).kind, Kind::Refused);
    EXPECT_EQ(ContainedPath::resolve(root.path(), {"dir", "missing"}).kind, Kind::Refused);
    EXPECT_EQ(ContainedPath::resolve(root.path(), {"alias"}).kind, Kind::Found)
        << "a symlink that stays inside is fine";
}
