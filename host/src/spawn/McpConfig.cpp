#include "spawn/McpConfig.h"

#include "json/Writer.h"

#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

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

    auto path = dir / "mcp.json";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + path.string());
    bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) throw std::runtime_error("cannot write " + path.string());
    return path;
}

} // namespace maestro::host::spawn
