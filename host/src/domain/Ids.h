#pragma once

#include <string>
#include <string_view>

namespace maestro::domain {

// A new opaque, URL-safe id in the original Maestro form: "<prefix>_<ms>_<10 random [a-z0-9]>",
// e.g. "task_1706790000000_k2j4n5l6m0". 36^10 random values per millisecond make collisions
// practically impossible; the store's primary keys would reject one anyway.
std::string newId(std::string_view prefix);

// True for ids a client may send: 1..128 characters of [A-Za-z0-9_-]. Anything else cannot
// name a resource, so it is refused before it reaches the store.
bool isValidId(std::string_view id) noexcept;

// True for a node's id (--node-id): 1..255 characters of [A-Za-z0-9._:-], so the default
// "host:port" is one.
bool isValidNodeId(std::string_view id) noexcept;

} // namespace maestro::domain
