#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maestro::host::http {

// The request-target of a request line, taken apart once. Its path segments are
// percent-decoded exactly once, here and nowhere else: a second decoding is what turns
// "%252e%252e" into ".." after every check has already passed.
struct RequestTarget {
    std::string path;                  // as sent, still percent-encoded (for messages)
    std::vector<std::string> segments; // decoded; empty segments ("//", a trailing "/") dropped
    std::string query;                 // as sent, after '?'

    // Accepts origin-form ("/a/b?q") and absolute-form ("http://host/a/b?q"). Throws ApiError
    // 400 `invalid_uri` for anything else or for a malformed percent-escape.
    static RequestTarget parse(std::string_view target);

    // The query's name=value pairs, decoded ('+' is a space), in order.
    std::vector<std::pair<std::string, std::string>> queryParameters() const;
};

} // namespace maestro::host::http
