#include "json/Writer.h"

#include <charconv>
#include <cmath>

namespace maestro::json {

void Writer::separate() {
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (!hasValue_.empty()) {
        if (hasValue_.back()) out_ += ',';
        hasValue_.back() = true;
    }
}

Writer& Writer::beginObject() {
    separate();
    out_ += '{';
    hasValue_.push_back(false);
    return *this;
}

Writer& Writer::endObject() {
    out_ += '}';
    hasValue_.pop_back();
    return *this;
}

Writer& Writer::beginArray() {
    separate();
    out_ += '[';
    hasValue_.push_back(false);
    return *this;
}

Writer& Writer::endArray() {
    out_ += ']';
    hasValue_.pop_back();
    return *this;
}

Writer& Writer::key(std::string_view name) {
    separate();
    appendQuoted(out_, name);
    out_ += ':';
    afterKey_ = true;
    return *this;
}

Writer& Writer::value(std::string_view text) {
    separate();
    appendQuoted(out_, text);
    return *this;
}

Writer& Writer::value(std::int64_t number) {
    separate();
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, number);
    out_.append(buf, end);
    return *this;
}

Writer& Writer::value(double number) {
    separate();
    if (!std::isfinite(number)) {
        out_ += "null"; // JSON has no NaN or infinity
        return *this;
    }
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, number);
    out_.append(buf, end);
    return *this;
}

Writer& Writer::value(bool flag) {
    separate();
    out_ += flag ? "true" : "false";
    return *this;
}

Writer& Writer::null() {
    separate();
    out_ += "null";
    return *this;
}

Writer& Writer::raw(std::string_view json) {
    separate();
    out_ += json;
    return *this;
}

Writer& Writer::stringArray(std::string_view name, const std::vector<std::string>& items) {
    key(name);
    beginArray();
    for (const auto& item : items)
        value(item);
    return endArray();
}

Writer& Writer::stringMap(std::string_view name,
                          const std::map<std::string, std::string>& entries) {
    key(name);
    beginObject();
    for (const auto& [entry, text] : entries)
        field(entry, text);
    return endObject();
}

void Writer::appendQuoted(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t plainFrom = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + plainFrom, i - plainFrom);
        plainFrom = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    out.append(text.data() + plainFrom, text.size() - plainFrom);
    out += '"';
}

} // namespace maestro::json
