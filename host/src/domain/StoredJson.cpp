#include "domain/StoredJson.h"

#include <Poco/JSON/Parser.h>

namespace maestro::domain {

StoredJson::StoredJson(std::string_view json)
    : object_(Poco::JSON::Parser().parse(std::string{json}).extract<Poco::JSON::Object::Ptr>()) {}

std::string StoredJson::string(const std::string& key) const {
    return object_->getValue<std::string>(key);
}

std::int64_t StoredJson::integer(const std::string& key) const {
    return object_->getValue<std::int64_t>(key);
}

std::optional<std::string> StoredJson::optionalString(const std::string& key) const {
    auto value = object_->get(key);
    if (value.isEmpty()) return std::nullopt;
    return value.convert<std::string>();
}

std::optional<std::int64_t> StoredJson::optionalInteger(const std::string& key) const {
    auto value = object_->get(key);
    if (value.isEmpty()) return std::nullopt;
    return value.convert<std::int64_t>();
}

std::vector<std::string> StoredJson::strings(const std::string& key) const {
    std::vector<std::string> items;
    auto array = object_->getArray(key);
    for (std::size_t i = 0; array && i < array->size(); ++i)
        items.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return items;
}

} // namespace maestro::domain
