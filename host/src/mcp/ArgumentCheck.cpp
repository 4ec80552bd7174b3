#include "mcp/ArgumentCheck.h"

#include "mcp/JsonRpc.h"

#include <Poco/JSON/Array.h>
#include <Poco/UTF8String.h>

namespace maestro::host::mcp {

namespace {

using Poco::Dynamic::Var;

[[noreturn]] void refuse(const std::string& path, const std::string& problem) {
    throw RpcError(rpc::kInvalidParams,
                   "Invalid arguments: " + (path.empty() ? std::string("arguments") : path) + " " +
                       problem);
}

bool isObject(const Var& v) {
    return v.type() == typeid(Poco::JSON::Object::Ptr);
}
bool isArray(const Var& v) {
    return v.type() == typeid(Poco::JSON::Array::Ptr);
}
bool isIntegral(const Var& v) {
    if (v.isBoolean() || v.isString() || v.isEmpty()) return false;
    if (v.isInteger()) return true;
    if (!v.isNumeric()) return false;
    double d = v.convert<double>();
    return d == static_cast<double>(static_cast<long long>(d));
}

std::size_t codePoints(const std::string& text) {
    std::size_t count = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++count;
    return count;
}

void check(const Poco::JSON::Object& schema, const Var& value, const std::string& path);

void checkObject(const Poco::JSON::Object& schema, const Poco::JSON::Object& object,
                 const std::string& path) {
    auto properties = schema.getObject("properties");
    if (auto required = schema.getArray("required"))
        for (std::size_t i = 0; i < required->size(); ++i) {
            auto name = required->getElement<std::string>(static_cast<unsigned>(i));
            if (!object.has(name)) refuse(path.empty() ? name : path + "." + name, "is required");
        }
    bool closed = schema.has("additionalProperties") &&
                  schema.get("additionalProperties").isBoolean() &&
                  !schema.getValue<bool>("additionalProperties");
    for (const auto& [name, item] : object) {
        auto where = path.empty() ? name : path + "." + name;
        auto property = properties ? properties->getObject(name) : nullptr;
        if (!property) {
            if (closed) refuse(where, "is not an argument of this tool");
            continue;
        }
        check(*property, item, where);
    }
}

void check(const Poco::JSON::Object& schema, const Var& value, const std::string& path) {
    auto type = schema.optValue<std::string>("type", "");
    if (type == "object") {
        if (!isObject(value)) refuse(path, "must be an object");
        checkObject(schema, *value.extract<Poco::JSON::Object::Ptr>(), path);
    } else if (type == "array") {
        if (!isArray(value)) refuse(path, "must be an array");
        auto array = value.extract<Poco::JSON::Array::Ptr>();
        if (schema.has("minItems") && array->size() < schema.getValue<std::size_t>("minItems"))
            refuse(path, "needs at least " + schema.get("minItems").toString() + " items");
        if (schema.has("maxItems") && array->size() > schema.getValue<std::size_t>("maxItems"))
            refuse(path, "takes at most " + schema.get("maxItems").toString() + " items");
        if (auto items = schema.getObject("items"))
            for (std::size_t i = 0; i < array->size(); ++i)
                check(*items, array->get(static_cast<unsigned>(i)),
                      path + "[" + std::to_string(i) + "]");
    } else if (type == "string") {
        if (!value.isString()) refuse(path, "must be a string");
        const auto& text = value.extract<std::string>();
        if (schema.has("minLength") && codePoints(text) < schema.getValue<std::size_t>("minLength"))
            refuse(path, "must not be empty");
        if (schema.has("maxLength") && codePoints(text) > schema.getValue<std::size_t>("maxLength"))
            refuse(path, "is longer than " + schema.get("maxLength").toString() + " characters");
    } else if (type == "integer") {
        if (!isIntegral(value)) refuse(path, "must be an integer");
        auto number = value.convert<long long>();
        if (schema.has("minimum") && number < schema.getValue<long long>("minimum"))
            refuse(path, "must be at least " + schema.get("minimum").toString());
        if (schema.has("maximum") && number > schema.getValue<long long>("maximum"))
            refuse(path, "must be at most " + schema.get("maximum").toString());
    } else if (type == "boolean") {
        if (!value.isBoolean()) refuse(path, "must be true or false");
    }
    if (auto choices = schema.getArray("enum")) {
        for (std::size_t i = 0; i < choices->size(); ++i)
            if (choices->get(static_cast<unsigned>(i)) == value) return;
        std::string list;
        for (std::size_t i = 0; i < choices->size(); ++i)
            list += (i ? ", " : "") + choices->get(static_cast<unsigned>(i)).toString();
        refuse(path, "must be one of " + list);
    }
}

} // namespace

void checkArguments(const Poco::JSON::Object& schema, const Poco::JSON::Object::Ptr& arguments) {
    check(schema, arguments, "");
}

} // namespace maestro::host::mcp
