#pragma once

#include <string>

namespace maestro::host::spawn {

// `word` as one shell word: in single quotes, a quote inside written '\''. For command lines a
// shell runs: the original clients' session:spawn command, agent hook commands.
inline std::string shellQuoted(const std::string& word) {
    std::string out = "'";
    for (char c : word) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

} // namespace maestro::host::spawn
