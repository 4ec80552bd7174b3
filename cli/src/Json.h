#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Reading the server's JSON for the human renderings. Every accessor tolerates a missing key or
// a null: the text view shows nothing for it rather than failing.
namespace maestro::cli::json {

using Object = Poco::JSON::Object::Ptr;
using Array = Poco::JSON::Array::Ptr;

// Throw CliError 70 when the server's answer is not the JSON it should be.
Object parseObject(const std::string& text);
Array parseArray(const std::string& text);

// A scalar as text: strings as they are, numbers in decimal, booleans as true/false; "" when
// absent, null or not a scalar.
std::string text(const Object& object, const std::string& key);
std::optional<std::int64_t> integer(const Object& object, const std::string& key);
std::vector<std::string> strings(const Object& object, const std::string& key);
Object object(const Object& object, const std::string& key);
Array array(const Object& object, const std::string& key);
Object objectAt(const Array& array, std::size_t index);
std::size_t size(const Array& array);

// Milliseconds since the epoch as local "YYYY-MM-DD HH:MM:SS"; "" for 0 or absent.
std::string formatTime(std::optional<std::int64_t> ms);

// Compact JSON text of any parsed value.
std::string stringify(const Poco::Dynamic::Var& value);

} // namespace maestro::cli::json
