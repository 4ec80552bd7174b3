#include "spawn/McpConfig.h"

#include "holder/SessionFolder.h"
#include "json/Writer.h"

namespace maestro::host::spawn {

std::filesystem::path writeMcpConfig(const std::filesystem::path& dir, const std::string& apiUrl,
                                     const std::string& sessionId,
                                     const std::optional<std::string>& token) {
    json::Writer out(512);
    out.beginObject().key("mcpServers").beginObject().key("maestro").beginObject();
    out.field("type", "http").field("url", apiUrl + "/mcp");
    out.key("headers").beginObject().field("X-Maestro-Session", sessionId);
    if (token) out.field("Authorization", "Bearer " + *token);
    out.endObject().endObject().endObject().endObject();
    auto text = out.take() + "\n";

    holder::writeSessionFile(dir, "mcp.json", text);
    return dir / "mcp.json";
}

} // namespace maestro::host::spawn
