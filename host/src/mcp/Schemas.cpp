#include "mcp/Schemas.h"

namespace maestro::host::mcp::schema {

std::string listOf(std::string_view key) {
    std::string out = R"({"type":"object","properties":{")";
    out += key;
    out += R"(":{"type":"array","items":{"type":"object"}},"total":{"type":"integer"}},)";
    out += R"("required":[")";
    out += key;
    out += R"(","total"]})";
    return out;
}

std::string listJson(std::string_view key, const store::JsonPage& page) {
    std::string out = "{\"";
    out += key;
    out += "\":[";
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        if (i) out += ',';
        out += page.items[i];
    }
    out += "],\"total\":" + std::to_string(page.total) + "}";
    return out;
}

} // namespace maestro::host::mcp::schema
