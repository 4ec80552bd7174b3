#pragma once

#include "domain/Session.h"
#include "domain/Task.h"

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace maestro::cli {

// The values an option may take, from the one definition of each in domain/: its kAll… list and
// toString for enumerations, kRoles and kSessionStatuses for names.
template <typename Values> std::vector<std::string> choices(const Values& values) {
    std::vector<std::string> names;
    for (const auto& value : values) {
        if constexpr (std::is_convertible_v<decltype(value), std::string_view>)
            names.emplace_back(value);
        else
            names.emplace_back(domain::toString(value));
    }
    return names;
}

} // namespace maestro::cli
