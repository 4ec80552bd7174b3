#pragma once

#include <Poco/JSON/Object.h>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::domain {

// Typed, validating access to a JSON object from a request body. Every accessor either returns
// a well-typed value or throws ApiError naming the field — 400 "validation_error", or 413
// "field_too_large" for a value over its size limit — so handlers never see a wrong type.
// "opt" accessors return nullopt when the key is absent.
class JsonInput {
public:
    static constexpr std::size_t kDefaultMaxString = 64 * 1024;

    // Parses text that must be one JSON object; anything else is ApiError 400 "invalid_json".
    static JsonInput parseObject(std::string_view text);

    explicit JsonInput(Poco::JSON::Object::Ptr object, std::string path = {});

    bool has(std::string_view key) const;
    bool isNull(std::string_view key) const;

    std::string requiredString(std::string_view key,
                               std::size_t maxBytes = kDefaultMaxString) const;
    std::optional<std::string> optString(std::string_view key,
                                         std::size_t maxBytes = kDefaultMaxString) const;
    // Absent → nullopt; null → an engaged optional holding nullopt.
    std::optional<std::optional<std::string>>
    optNullableString(std::string_view key, std::size_t maxBytes = kDefaultMaxString) const;
    std::optional<std::int64_t> optInteger(std::string_view key) const;
    std::optional<bool> optBool(std::string_view key) const;
    std::optional<std::vector<std::string>> optStringArray(std::string_view key,
                                                           std::size_t maxItems = 1000) const;
    std::optional<std::vector<JsonInput>> optObjectArray(std::string_view key,
                                                         std::size_t maxItems = 1000) const;
    std::optional<JsonInput> optObject(std::string_view key) const;
    // A string → string map such as an environment; values must be strings.
    std::optional<std::map<std::string, std::string>> optStringMap(std::string_view key) const;
    // Any JSON object, re-rendered as compact text (free-form metadata).
    std::optional<std::string> optObjectText(std::string_view key) const;

    const Poco::JSON::Object::Ptr& object() const noexcept { return object_; }

private:
    std::string fieldName(std::string_view key) const;
    std::string checkedString(std::string_view key, const Poco::Dynamic::Var& v,
                              std::size_t maxBytes) const;

    Poco::JSON::Object::Ptr object_;
    std::string path_; // "subtasks[2]." for nested objects, so errors name the full field
};

} // namespace maestro::domain
