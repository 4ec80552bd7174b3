#pragma once

#include <Poco/JSON/Object.h>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::domain {

// An entity read back from the `json` column the store keeps beside its query columns. The
// text was written by this server (json::Writer), so a field that is missing or of the wrong
// type means a damaged store: reading it throws rather than inventing a value.
class StoredJson {
public:
    explicit StoredJson(std::string_view json);

    std::string string(const std::string& key) const;
    std::int64_t integer(const std::string& key) const;
    // null or absent → nullopt
    std::optional<std::string> optionalString(const std::string& key) const;
    std::optional<std::int64_t> optionalInteger(const std::string& key) const;
    // An array of strings; absent → empty.
    std::vector<std::string> strings(const std::string& key) const;

    const Poco::JSON::Object& object() const { return *object_; }

private:
    Poco::JSON::Object::Ptr object_;
};

} // namespace maestro::domain
