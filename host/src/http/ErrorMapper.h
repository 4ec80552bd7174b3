#pragma once

#include "domain/ApiError.h"
#include "http/Exchange.h"

namespace maestro::host::http {

// How an error body is written: the API's JSON error shape, or — for the MCP endpoint, whose
// clients read JSON-RPC — a JSON-RPC error answering no id, carrying that shape as its data.
enum class ErrorShape { Api, JsonRpc };

// The one place that turns failures into the JSON error shape
// {"error":true,"statusCode":…,"code":…,"message":…,"details":{…}}.
Response errorResponse(const domain::ApiError& error, ErrorShape shape = ErrorShape::Api);

// Maps the exception being handled (call only inside a catch block): ApiError as it is, a
// store conflict as 409, a busy database as 503, a full disk as 507 and storage that cannot
// be written as 503, anything else as a logged 500 whose message carries no internals.
Response mapCurrentException(ErrorShape shape = ErrorShape::Api);

} // namespace maestro::host::http
