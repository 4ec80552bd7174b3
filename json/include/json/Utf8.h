#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace maestro::json {

// JSON text is UTF-8. These check what arrives (request bodies, WebSocket messages) and make
// raw bytes (terminal output) safe to carry as JSON strings.

// True when text is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool isValidUtf8(std::string_view text) noexcept;
// Replaces every malformed sequence with U+FFFD, so terminal bytes can travel as JSON text.
std::string sanitizeUtf8(std::string_view text);
// How many bytes at the end of text start a UTF-8 sequence that is not complete yet (0-3):
// a stream reader keeps them back until the next chunk arrives.
std::size_t incompleteUtf8Tail(std::string_view text) noexcept;

} // namespace maestro::json
