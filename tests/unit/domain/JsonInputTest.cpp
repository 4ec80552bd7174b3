#include "domain/JsonInput.h"

#include "domain/ApiError.h"

#include <gtest/gtest.h>

using maestro::domain::ApiError;
using maestro::domain::JsonInput;

namespace {

// Runs fn, which must throw ApiError; returns it.
template <class F> ApiError apiErrorOf(F&& fn) {
    try {
        fn();
    } catch (const ApiError& e) {
        return e;
    }
    ADD_FAILURE() << "no ApiError thrown";
    return ApiError(0, "", "");
}

} // namespace

TEST(JsonInput, RejectsTextThatIsNotAnObject) {
    EXPECT_EQ(apiErrorOf([] { JsonInput::parseObject("[1,2]"); }).code(), "invalid_json");
    EXPECT_EQ(apiErrorOf([] { JsonInput::parseObject("{\"a\":"); }).code(), "invalid_json");
    EXPECT_EQ(apiErrorOf([] { JsonInput::parseObject("   "); }).code(), "invalid_json");
    EXPECT_EQ(apiErrorOf([] { JsonInput::parseObject(std::string(200, '[')); }).code(),
              "invalid_json");
    EXPECT_EQ(apiErrorOf([] { JsonInput::parseObject("{\"a\":\"\xff\"}"); }).code(),
              "invalid_json");
}

TEST(JsonInput, ReadsTypedFields) {
    auto input =
        JsonInput::parseObject(R"({"s":"x","n":5,"b":true,"a":["p","q"],"z":null,"o":{"k":"v"}})");
    EXPECT_EQ(input.requiredString("s"), "x");
    EXPECT_EQ(input.optInteger("n"), 5);
    EXPECT_EQ(input.optBool("b"), true);
    EXPECT_EQ(input.optStringArray("a"), (std::vector<std::string>{"p", "q"}));
    EXPECT_TRUE(input.isNull("z"));
    ASSERT_TRUE(input.optNullableString("z").has_value());
    EXPECT_FALSE(input.optNullableString("z")->has_value());
    EXPECT_FALSE(input.optString("missing").has_value());
    EXPECT_EQ(input.optStringMap("o")->at("k"), "v");
}

TEST(JsonInput, NamesTheFieldWhoseTypeIsWrong) {
    auto input = JsonInput::parseObject(R"({"title":5,"tags":["a",1],"nested":[{"message":3}]})");
    auto error = apiErrorOf([&] { input.requiredString("title"); });
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.code(), "validation_error");
    EXPECT_NE(error.detailsJson().find("\"title\""), std::string::npos);
    EXPECT_EQ(apiErrorOf([&] { input.optStringArray("tags"); }).code(), "validation_error");
    auto nested = input.optObjectArray("nested");
    ASSERT_TRUE(nested);
    auto nestedError = apiErrorOf([&] { nested->at(0).requiredString("message"); });
    EXPECT_NE(std::string(nestedError.what()).find("nested[0].message"), std::string::npos);
}

TEST(JsonInput, EnforcesStringLimits) {
    auto input = JsonInput::parseObject(R"({"s":"abcdef"})");
    auto tooLong = apiErrorOf([&] { input.requiredString("s", 3); });
    EXPECT_EQ(tooLong.status(), 413);
    EXPECT_EQ(tooLong.code(), "field_too_large");
    EXPECT_EQ(tooLong.detailsJson(), R"({"field":"s","limit":3,"unit":"bytes"})");
    EXPECT_EQ(input.requiredString("s", 6), "abcdef");
}
