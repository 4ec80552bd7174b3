#pragma once

#include <string>

namespace maestro::test {

struct HttpResult;

// The responses the integration tests get, kept for the API contract check
// (tests/contract/responses.mjs validates each against docs/openapi.yaml). With
// MAESTRO_CONTRACT_LOG naming a folder, every HttpClient exchange is appended there as one JSON
// line {method, target, status, contentType, body} to a file of this process; without it,
// nothing is kept. A body that is not JSON, or larger than 1 MiB, is kept as null.
void logExchange(const std::string& method, const std::string& target, const HttpResult& result);

} // namespace maestro::test
