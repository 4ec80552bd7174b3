#include "domain/JsonInput.h"

#include "domain/ApiError.h"
#include "json/Utf8.h"
#include "json/Writer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <sstream>

namespace maestro::domain {

namespace {

ApiError invalidJson(std::string_view why) {
    json::Writer details;
    details.beginObject().field("reason", why).endObject();
    return ApiError::badRequest(
        "invalid_json", "Request body is not valid JSON: " + std::string{why}, details.take());
}

} // namespace

JsonInput JsonInput::parseObject(std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw ApiError::badRequest("invalid_json",
                                   "Request body is empty; a JSON object is required");
    if (!json::isValidUtf8(text)) throw invalidJson("not UTF-8");
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(64);
        parsed = parser.parse(std::string{text});
    } catch (const Poco::Exception& e) {
        throw invalidJson(e.message().empty() ? e.displayText() : e.message());
    } catch (const std::exception& e) {
        throw invalidJson(e.what());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw ApiError::badRequest("invalid_json", "Request body must be a JSON object");
    return JsonInput{parsed.extract<Poco::JSON::Object::Ptr>()};
}

JsonInput::JsonInput(Poco::JSON::Object::Ptr object, std::string path)
    : object_(std::move(object)), path_(std::move(path)) {}

std::string JsonInput::fieldName(std::string_view key) const {
    std::string name = path_;
    name += key;
    return name;
}

bool JsonInput::has(std::string_view key) const {
    return object_->has(std::string{key});
}

bool JsonInput::isNull(std::string_view key) const {
    return has(key) && object_->get(std::string{key}).isEmpty();
}

std::string JsonInput::checkedString(std::string_view key, const Poco::Dynamic::Var& v,
                                     std::size_t maxBytes) const {
    if (!v.isString()) throw ApiError::invalidField(fieldName(key), "must be a string");
    const auto& s = v.extract<std::string>();
    if (!json::isValidUtf8(s)) throw ApiError::invalidField(fieldName(key), "must be valid UTF-8");
    if (s.size() > maxBytes) throw ApiError::fieldTooLarge(fieldName(key), maxBytes, "bytes");
    return s;
}

std::string JsonInput::requiredString(std::string_view key, std::size_t maxBytes) const {
    if (!has(key) || isNull(key)) throw ApiError::invalidField(fieldName(key), "is required");
    return checkedString(key, object_->get(std::string{key}), maxBytes);
}

std::optional<std::string> JsonInput::optString(std::string_view key, std::size_t maxBytes) const {
    if (!has(key)) return std::nullopt;
    return checkedString(key, object_->get(std::string{key}), maxBytes);
}

std::optional<std::optional<std::string>> JsonInput::optNullableString(std::string_view key,
                                                                       std::size_t maxBytes) const {
    if (!has(key)) return std::nullopt;
    auto v = object_->get(std::string{key});
    if (v.isEmpty()) return std::optional<std::string>{};
    return std::optional<std::string>{checkedString(key, v, maxBytes)};
}

std::optional<std::int64_t> JsonInput::optInteger(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    auto v = object_->get(std::string{key});
    if (!v.isInteger()) throw ApiError::invalidField(fieldName(key), "must be an integer");
    try {
        return v.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
        throw ApiError::invalidField(fieldName(key), "is out of range");
    }
}

std::optional<bool> JsonInput::optBool(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    auto v = object_->get(std::string{key});
    if (!v.isBoolean()) throw ApiError::invalidField(fieldName(key), "must be true or false");
    return v.extract<bool>();
}

std::optional<std::vector<std::string>> JsonInput::optStringArray(std::string_view key,
                                                                  std::size_t maxItems) const {
    if (!has(key)) return std::nullopt;
    auto array = object_->getArray(std::string{key});
    if (!array) throw ApiError::invalidField(fieldName(key), "must be an array of strings");
    if (array->size() > maxItems) throw ApiError::fieldTooLarge(fieldName(key), maxItems, "items");
    std::vector<std::string> items;
    items.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
        auto v = array->get(static_cast<unsigned>(i));
        if (!v.isString())
            throw ApiError::invalidField(fieldName(key), "must be an array of strings");
        items.push_back(v.extract<std::string>());
    }
    return items;
}

std::optional<std::vector<JsonInput>> JsonInput::optObjectArray(std::string_view key,
                                                                std::size_t maxItems) const {
    if (!has(key)) return std::nullopt;
    auto array = object_->getArray(std::string{key});
    if (!array) throw ApiError::invalidField(fieldName(key), "must be an array of objects");
    if (array->size() > maxItems) throw ApiError::fieldTooLarge(fieldName(key), maxItems, "items");
    std::vector<JsonInput> items;
    for (std::size_t i = 0; i < array->size(); ++i) {
        auto object = array->getObject(static_cast<unsigned>(i));
        if (!object) throw ApiError::invalidField(fieldName(key), "must be an array of objects");
        items.emplace_back(object, fieldName(key) + "[" + std::to_string(i) + "].");
    }
    return items;
}

std::optional<JsonInput> JsonInput::optObject(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    auto object = object_->getObject(std::string{key});
    if (!object) throw ApiError::invalidField(fieldName(key), "must be an object");
    return JsonInput{object, fieldName(key) + "."};
}

std::optional<std::map<std::string, std::string>>
JsonInput::optStringMap(std::string_view key) const {
    auto nested = optObject(key);
    if (!nested) return std::nullopt;
    std::map<std::string, std::string> map;
    for (const auto& [name, value] : *nested->object()) {
        if (!value.isString())
            throw ApiError::invalidField(fieldName(key) + "." + name, "must be a string");
        map.emplace(name, value.extract<std::string>());
    }
    return map;
}

std::optional<std::string> JsonInput::optObjectText(std::string_view key) const {
    auto nested = optObject(key);
    if (!nested) return std::nullopt;
    std::ostringstream out;
    nested->object()->stringify(out);
    return out.str();
}

} // namespace maestro::domain
