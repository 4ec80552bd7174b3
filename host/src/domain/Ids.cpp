#include "domain/Ids.h"

#include "domain/Clock.h"

#include <random>

namespace maestro::domain {

std::string newId(std::string_view prefix) {
    static constexpr std::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);

    std::string id{prefix};
    id += '_';
    id += std::to_string(nowMs());
    id += '_';
    for (int i = 0; i < 10; ++i)
        id += kAlphabet[pick(engine)];
    return id;
}

bool isValidId(std::string_view id) noexcept {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool isValidNodeId(std::string_view id) noexcept {
    if (id.empty() || id.size() > 255) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

} // namespace maestro::domain
