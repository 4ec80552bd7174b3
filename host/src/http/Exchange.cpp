#include "http/Exchange.h"

namespace maestro::host::http {

std::optional<std::string> Request::query(const std::string& name) const {
    for (const auto& [key, value] : query_)
        if (key == name) return value;
    return std::nullopt;
}

std::optional<std::string> Request::header(const std::string& name) const {
    if (!raw_.has(name)) return std::nullopt;
    return raw_.get(name);
}

} // namespace maestro::host::http
