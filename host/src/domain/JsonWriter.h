#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::domain {

// Appends JSON text to a string. The API's hot paths (lists of tasks, event fan-out) render
// far faster this way than by building a Poco::JSON DOM first; input parsing still goes
// through Poco::JSON (see JsonInput). Commas are placed automatically; the caller keeps
// begin/end balanced.
class JsonWriter {
public:
    JsonWriter() = default;
    explicit JsonWriter(std::size_t reserve) { out_.reserve(reserve); }

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view{text}); }
    JsonWriter& value(const std::string& text) { return value(std::string_view{text}); }
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(long long number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(std::size_t number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(double number);
    JsonWriter& value(bool flag);
    JsonWriter& null();
    // Inserts already-valid JSON (a cached rendering of an entity) as one value.
    JsonWriter& raw(std::string_view json);

    template <class T> JsonWriter& field(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }
    template <class T> JsonWriter& field(std::string_view name, const std::optional<T>& v) {
        key(name);
        return v ? value(*v) : null();
    }
    JsonWriter& stringArray(std::string_view name, const std::vector<std::string>& items);

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

} // namespace maestro::domain
