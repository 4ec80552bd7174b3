#pragma once

#include "http/Exchange.h"
#include "service/Precondition.h"
#include "store/Paging.h"

#include <optional>
#include <string>
#include <string_view>

namespace maestro::host::http {

// ?limit=&offset= (limit capped at 1000; a malformed number is a 400). A list that pages
// only by offset refuses `after` (400), so a client that pages by cursor is not served the
// first page again and again.
store::Page pageOf(const Request& request);
// The same plus ?after=<id>, keyset paging: the rows after that one (not with offset).
store::Page keysetPageOf(const Request& request);
// If-Match: 3, "3" or W/"3" → 3; a header that is not a version is a 400.
service::IfMatch ifMatchOf(const Request& request);
// A path parameter that must look like an id; anything else cannot exist → 404 "<kind>_not_found".
const std::string& idParam(const Request& request, const std::string& name, std::string_view kind);
// An optional id in the query (?projectId=…); malformed → 400.
std::optional<std::string> idQuery(const Request& request, const std::string& name);

// A JSON array of already-rendered items, with X-Total-Count.
Response listResponse(const store::JsonPage& page);
Response created(std::string json);
// The original Maestro's answer to a DELETE: {"success":true,"id":…}.
Response deleted(const std::string& id);

} // namespace maestro::host::http
