#pragma once

#include "domain/ApiError.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace maestro::host::service {

// The If-Match version a client sent with a PATCH or DELETE, if any.
using IfMatch = std::optional<std::int64_t>;

// Throws 412 with the current resource when the client's version is stale.
inline void checkVersion(const IfMatch& ifMatch, std::string_view kind, std::int64_t current,
                         std::string_view currentJson) {
    if (ifMatch && *ifMatch != current)
        throw domain::ApiError::preconditionFailed(kind, *ifMatch, current, currentJson);
}

} // namespace maestro::host::service
