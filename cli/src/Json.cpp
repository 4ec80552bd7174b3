#include "Json.h"

#include "CliError.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <ctime>
#include <sstream>

namespace maestro::cli::json {

namespace {

Poco::Dynamic::Var parse(const std::string& text, const char* expected) {
    try {
        // Keys keep the server's order, so documents the CLI assembles read like the server's.
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        return parser.parse(text);
    } catch (const Poco::Exception& e) {
        throw CliError::internal(std::string("the server answered with something other than ") +
                                 expected + ": " + e.displayText());
    }
}

} // namespace

Object parseObject(const std::string& text) {
    auto value = parse(text, "a JSON object");
    if (value.type() != typeid(Object))
        throw CliError::internal("the server answered with something other than a JSON object");
    return value.extract<Object>();
}

Array parseArray(const std::string& text) {
    auto value = parse(text, "a JSON array");
    if (value.type() != typeid(Array))
        throw CliError::internal("the server answered with something other than a JSON array");
    return value.extract<Array>();
}

std::string text(const Object& object, const std::string& key) {
    if (!object || !object->has(key)) return {};
    const auto& value = object->get(key);
    if (value.isEmpty()) return {};
    if (value.isString()) return value.extract<std::string>();
    if (value.type() == typeid(bool)) return value.extract<bool>() ? "true" : "false";
    if (value.isNumeric()) return value.convert<std::string>();
    return {};
}

std::optional<std::int64_t> integer(const Object& object, const std::string& key) {
    if (!object || !object->has(key)) return std::nullopt;
    const auto& value = object->get(key);
    if (value.isEmpty() || !value.isNumeric()) return std::nullopt;
    return value.convert<std::int64_t>();
}

std::vector<std::string> strings(const Object& object, const std::string& key) {
    std::vector<std::string> items;
    auto list = array(object, key);
    for (std::size_t i = 0; i < size(list); ++i) {
        const auto& value = list->get(static_cast<unsigned>(i));
        if (value.isString()) items.push_back(value.extract<std::string>());
    }
    return items;
}

Object object(const Object& object, const std::string& key) {
    if (!object || !object->has(key)) return {};
    return object->getObject(key);
}

Array array(const Object& object, const std::string& key) {
    if (!object || !object->has(key)) return {};
    return object->getArray(key);
}

Object objectAt(const Array& array, std::size_t index) {
    if (!array || index >= array->size()) return {};
    return array->getObject(static_cast<unsigned>(index));
}

std::size_t size(const Array& array) {
    return array ? array->size() : 0;
}

std::string formatTime(std::optional<std::int64_t> ms) {
    if (!ms || *ms <= 0) return {};
    const std::time_t seconds = static_cast<std::time_t>(*ms / 1000);
    std::tm local{};
    ::localtime_r(&seconds, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &local);
    return buffer;
}

std::string stringify(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out, 0, -1);
    return out.str();
}

} // namespace maestro::cli::json
