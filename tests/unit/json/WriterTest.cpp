#include "json/Writer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using maestro::json::Writer;

TEST(JsonWriter, PlacesCommasBetweenMembersAndElements) {
    Writer out;
    out.beginObject()
        .field("a", 1)
        .key("list")
        .beginArray()
        .value("x")
        .value(true)
        .null()
        .endArray()
        .field("b", std::string("y"))
        .endObject();
    EXPECT_EQ(out.str(), R"({"a":1,"list":["x",true,null],"b":"y"})");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
    const std::string text = "q\"b\\n\nt\tc\x01 é";
    Writer out;
    out.value(text);
    EXPECT_EQ(out.str(), "\"q\\\"b\\\\n\\nt\\tc\\u0001 é\"");
    Poco::JSON::Parser parser;
    auto parsed = parser.parse("[" + out.str() + "]").extract<Poco::JSON::Array::Ptr>();
    EXPECT_EQ(parsed->getElement<std::string>(0), text);
}

TEST(JsonWriter, WritesOptionalAsNullWhenEmpty) {
    Writer out;
    std::optional<std::string> none, some = "v";
    out.beginObject().field("none", none).field("some", some).endObject();
    EXPECT_EQ(out.str(), R"({"none":null,"some":"v"})");
}

TEST(JsonWriter, RawInsertsPrerenderedValues) {
    Writer out;
    out.beginArray().raw(R"({"k":1})").raw("2").endArray();
    EXPECT_EQ(out.str(), R"([{"k":1},2])");
}

TEST(JsonWriter, WritesNonFiniteDoublesAsNull) {
    Writer out;
    out.beginArray().value(1.5).value(std::numeric_limits<double>::infinity()).endArray();
    EXPECT_EQ(out.str(), "[1.5,null]");
}
