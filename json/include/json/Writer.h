#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::json {

// Appends JSON text to a string. The API's hot paths (lists of tasks, event fan-out) render
// far faster this way than by building a Poco::JSON DOM first; input parsing still goes
// through Poco::JSON (domain/JsonInput.h). Commas are placed automatically; the caller keeps
// begin/end balanced.
class Writer {
public:
    Writer() = default;
    explicit Writer(std::size_t reserve) { out_.reserve(reserve); }

    Writer& beginObject();
    Writer& endObject();
    Writer& beginArray();
    Writer& endArray();
    Writer& key(std::string_view name);

    Writer& value(std::string_view text);
    Writer& value(const char* text) { return value(std::string_view{text}); }
    Writer& value(const std::string& text) { return value(std::string_view{text}); }
    Writer& value(std::int64_t number);
    Writer& value(int number) { return value(static_cast<std::int64_t>(number)); }
    Writer& value(long long number) { return value(static_cast<std::int64_t>(number)); }
    Writer& value(std::size_t number) { return value(static_cast<std::int64_t>(number)); }
    Writer& value(double number);
    Writer& value(bool flag);
    Writer& null();
    // Inserts already-valid JSON (a cached rendering of an entity) as one value.
    Writer& raw(std::string_view json);

    template <class T> Writer& field(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }
    template <class T> Writer& field(std::string_view name, const std::optional<T>& v) {
        key(name);
        return v ? value(*v) : null();
    }
    Writer& stringArray(std::string_view name, const std::vector<std::string>& items);
    // An object of string values, in the map's order.
    Writer& stringMap(std::string_view name, const std::map<std::string, std::string>& entries);

    const std::string& str() const noexcept { return out_; }
    std::string take() noexcept { return std::move(out_); }

    // Appends text as a quoted, escaped JSON string.
    static void appendQuoted(std::string& out, std::string_view text);

private:
    void separate();

    std::string out_;
    // One entry per open container: whether a value has already been written in it.
    std::vector<bool> hasValue_;
    bool afterKey_ = false;
};

} // namespace maestro::json
