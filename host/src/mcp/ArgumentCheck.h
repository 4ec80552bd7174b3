#pragma once

#include <Poco/JSON/Object.h>
#include <string>

namespace maestro::host::mcp {

// Checks a tool's arguments against its input schema, so a tool never runs with arguments its
// published schema refuses. Covers the part of JSON Schema the tools' schemas use: type
// (object, string, integer, boolean, array), properties, required, additionalProperties:
// false, enum, items, minLength, maxLength, minimum, maximum, minItems, maxItems.
// Throws RpcError kInvalidParams naming the first offending field.
void checkArguments(const Poco::JSON::Object& schema, const Poco::JSON::Object::Ptr& arguments);

} // namespace maestro::host::mcp
