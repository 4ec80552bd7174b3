#include "mcp/ArgumentCheck.h"

#include "mcp/JsonRpc.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using namespace maestro::host::mcp;

namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

const char* kSchema =
    R"({"type":"object","properties":{"title":{"type":"string","minLength":1,"maxLength":5},)"
    R"("status":{"type":"string","enum":["todo","done"]},"limit":{"type":"integer","minimum":1,)"
    R"("maximum":10},"flag":{"type":"boolean"},"ids":{"type":"array","items":{"type":"string"},)"
    R"("minItems":1}},"required":["title"],"additionalProperties":false})";

// "" when the arguments pass, else the message of the refusal (always kInvalidParams).
std::string problem(const std::string& arguments) {
    try {
        checkArguments(*parse(kSchema), parse(arguments));
        return "";
    } catch (const RpcError& error) {
        EXPECT_EQ(error.code(), rpc::kInvalidParams);
        return error.what();
    }
}

} // namespace

TEST(ArgumentCheck, AcceptsWhatTheSchemaAllows) {
    EXPECT_EQ(problem(R"({"title":"ok"})"), "");
    EXPECT_EQ(problem(R"({"title":"héllo","status":"done","limit":10,"flag":false,"ids":["a"]})"),
              "")
        << "maxLength counts characters, not bytes";
}

TEST(ArgumentCheck, NamesTheFirstFieldItRefuses) {
    EXPECT_NE(problem(R"({})").find("title is required"), std::string::npos);
    EXPECT_NE(problem(R"({"title":""})").find("title must not be empty"), std::string::npos);
    EXPECT_NE(problem(R"({"title":"toolong"})").find("title is longer"), std::string::npos);
    EXPECT_NE(problem(R"({"title":3})").find("title must be a string"), std::string::npos);
    EXPECT_NE(problem(R"({"title":"a","status":"gone"})").find("status must be one of todo, done"),
              std::string::npos);
    EXPECT_NE(problem(R"({"title":"a","limit":0})").find("limit must be at least 1"),
              std::string::npos);
    EXPECT_NE(problem(R"({"title":"a","limit":2.5})").find("limit must be an integer"),
              std::string::npos);
    EXPECT_NE(problem(R"({"title":"a","flag":"yes"})").find("flag must be true or false"),
              std::string::npos);
    EXPECT_NE(problem(R"({"title":"a","ids":[]})").find("ids needs at least 1"), std::string::npos);
    EXPECT_NE(problem(R"({"title":"a","ids":[1]})").find("ids[0] must be a string"),
              std::string::npos);
    EXPECT_NE(problem(R"({"title":"a","extra":1})").find("extra is not an argument"),
              std::string::npos);
}
