#include "CliError.h"

#include <gtest/gtest.h>

namespace maestro::cli {
namespace {

TEST(CliError, MadeErrorsHaveTheServersShape) {
    CliError error(kExitUnavailable, "server_unreachable", "no \"server\"", R"({"attempts":3})");
    EXPECT_EQ(
        error.document(),
        R"({"error":true,"statusCode":0,"code":"server_unreachable","message":"no \"server\"","details":{"attempts":3}})");
    EXPECT_EQ(error.exitCode(), kExitUnavailable);
    EXPECT_STREQ(error.what(), "no \"server\"");
}

TEST(CliError, UsageAndInternal) {
    EXPECT_EQ(CliError::usage("bad").exitCode(), kExitUsage);
    EXPECT_EQ(CliError::usage("bad").code(), "usage_error");
    EXPECT_EQ(CliError::internal("bug").exitCode(), kExitInternal);
    EXPECT_EQ(CliError::internal("bug").code(), "internal_error");
}

TEST(CliError, KeepsTheServersDocumentVerbatim) {
    const std::string body =
        R"({"error":true,"statusCode":400,"code":"blocked_reason_required","message":"A blocked task needs a non-empty blockedReason","details":{}})";
    auto error = CliError::fromResponse(kExitRefused, 400, body + "\n");
    EXPECT_EQ(error.document(), body);
    EXPECT_EQ(error.code(), "blocked_reason_required");
    EXPECT_EQ(error.statusCode(), 400);
    EXPECT_STREQ(error.what(), "A blocked task needs a non-empty blockedReason");
}

TEST(CliError, WrapsABodyThatIsNotAnErrorDocument) {
    auto error = CliError::fromResponse(kExitUnavailable, 502, "<html>Bad Gateway</html>");
    EXPECT_EQ(error.code(), "http_502");
    EXPECT_EQ(error.statusCode(), 502);
    EXPECT_EQ(
        error.document(),
        R"({"error":true,"statusCode":502,"code":"http_502","message":"HTTP 502: <html>Bad Gateway</html>","details":{}})");
    EXPECT_EQ(
        CliError::fromResponse(kExitRefused, 418, "").document(),
        R"({"error":true,"statusCode":418,"code":"http_418","message":"HTTP 418","details":{}})");
    EXPECT_EQ(CliError::fromResponse(kExitRefused, 400, "[1]").code(), "http_400");
}

} // namespace
} // namespace maestro::cli
