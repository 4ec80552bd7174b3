#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace maestro::host::spawn {

// The MCP configuration of one session, in the format agents read ({"mcpServers":{…}}, as
// Claude Code's --mcp-config takes it): the server's /mcp endpoint over Streamable HTTP, with
// X-Maestro-Session naming the session so its reports land on it, and the bearer token when
// the server requires one. Written to <dir>/mcp.json (mode 0600, since it may hold the token);
// profiles pass it with the {mcpConfig} placeholder.
std::filesystem::path writeMcpConfig(const std::filesystem::path& dir, const std::string& apiUrl,
                                     const std::string& sessionId,
                                     const std::optional<std::string>& token);

} // namespace maestro::host::spawn
