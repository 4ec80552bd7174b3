#include "http/Router.h"

#include <gtest/gtest.h>

using namespace maestro::host::http;

namespace {

Handler named(std::string name) {
    return [name](Request&) { return Response::json(200, name); };
}

} // namespace

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        router_.add("GET", "/api/tasks/:id", named("get"));
        router_.add("PATCH", "/api/tasks/:id", named("patch"));
        router_.add("GET", "/api/tasks/:id/subtasks/:subId", named("sub"));
        router_.add("POST", "/api/sessions/spawn", named("spawn"));
        router_.add("GET", "/api/sessions/:id", named("session"));
    }
    Router router_;
};

TEST_F(RouterTest, ExtractsParameters) {
    auto match = router_.match("GET", "/api/tasks/t1/subtasks/s2");
    ASSERT_NE(match.handler, nullptr);
    EXPECT_EQ(match.params.at("id"), "t1");
    EXPECT_EQ(match.params.at("subId"), "s2");
}

TEST_F(RouterTest, ReportsAllowedMethodsForAKnownPath) {
    auto match = router_.match("DELETE", "/api/tasks/t1");
    EXPECT_EQ(match.handler, nullptr);
    EXPECT_EQ(match.allowedMethods, (std::vector<std::string>{"GET", "PATCH"}));
}

TEST_F(RouterTest, UnknownPathHasNoAllowedMethods) {
    auto match = router_.match("GET", "/api/nothing/here");
    EXPECT_EQ(match.handler, nullptr);
    EXPECT_TRUE(match.allowedMethods.empty());
}

TEST_F(RouterTest, LiteralSegmentsWinOverParameters) {
    auto match = router_.match("GET", "/api/sessions/spawn");
    EXPECT_EQ(match.handler, nullptr) << "spawn is POST only; it must not be read as an id";
    EXPECT_EQ(match.allowedMethods, (std::vector<std::string>{"POST"}));
    EXPECT_NE(router_.match("GET", "/api/sessions/sess_1").handler, nullptr);
}

TEST_F(RouterTest, DecodesPercentEncodedSegmentsAndIgnoresEmptyOnes) {
    auto match = router_.match("GET", "/api//tasks/a%20b/");
    ASSERT_NE(match.handler, nullptr);
    EXPECT_EQ(match.params.at("id"), "a b");
}
