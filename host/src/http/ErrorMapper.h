#pragma once

#include "domain/ApiError.h"
#include "http/Exchange.h"

namespace maestro::host::http {

// The one place that turns failures into the JSON error shape
// {"error":true,"statusCode":…,"code":…,"message":…,"details":{…}}.
Response errorResponse(const domain::ApiError& error);

// Maps the exception being handled (call only inside a catch block): ApiError as it is, a
// store conflict as 409, a busy database as 503, a full disk as 507 and storage that cannot
// be written as 503, anything else as a logged 500 whose message carries no internals.
Response mapCurrentException();

} // namespace maestro::host::http
