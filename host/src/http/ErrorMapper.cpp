#include "http/ErrorMapper.h"

#include "json/Writer.h"
#include "mcp/JsonRpc.h"
#include "store/StorageError.h"

#include <Poco/Logger.h>
#include <atomic>
#include <string>

namespace maestro::host::http {

using domain::ApiError;

namespace {

// The JSON-RPC code for a refusal before any method ran.
int jsonRpcCode(const ApiError& error) {
    if (error.code() == "invalid_json") return mcp::rpc::kParseError;
    if (error.status() >= 500) return mcp::rpc::kInternalError;
    if (error.status() == 400 || error.status() == 413) return mcp::rpc::kInvalidRequest;
    return mcp::rpc::kServerError; // access refused (401, 403) and the like
}

} // namespace

Response errorResponse(const ApiError& error, ErrorShape shape) {
    json::Writer out(256 + error.detailsJson().size());
    out.beginObject()
        .field("error", true)
        .field("statusCode", error.status())
        .field("code", error.code())
        .field("message", std::string_view{error.what()})
        .key("details")
        .raw(error.detailsJson())
        .endObject();
    auto body = out.take();
    if (shape == ErrorShape::JsonRpc)
        body = mcp::errorJson(std::nullopt, jsonRpcCode(error), error.what(), body);
    Response response = Response::json(error.status(), std::move(body));
    if (error.status() == 503) response.header("Retry-After", "1");
    return response;
}

Response mapCurrentException(ErrorShape shape) {
    static std::atomic<unsigned> incidents{0};
    auto internal = [shape](const std::string& what) {
        auto incident = ++incidents;
        Poco::Logger::get("host.http").error("internal error #%u: %s", incident, what);
        return errorResponse(ApiError(500, "internal_error",
                                      "Internal server error (incident " +
                                          std::to_string(incident) + " in the server log)"),
                             shape);
    };
    try {
        throw;
    } catch (const ApiError& e) {
        return errorResponse(e, shape);
    } catch (const store::StorageFull& e) {
        Poco::Logger::get("host.store")
            .warning("write refused, disk full: %s", std::string{e.what()});
        return errorResponse(ApiError(507, "storage_full",
                                      "The server's disk is full; nothing was changed. Retry once "
                                      "space has been freed"),
                             shape);
    } catch (const store::StorageUnavailable& e) {
        Poco::Logger::get("host.store").warning("storage unavailable: %s", std::string{e.what()});
        return errorResponse(ApiError(503, "storage_unavailable",
                                      "The database cannot be written (read-only or failing "
                                      "storage); nothing was changed"),
                             shape);
    } catch (const store::ConstraintViolation&) {
        return errorResponse(
            ApiError::conflict("constraint_violation", "The change conflicts with existing data"),
            shape);
    } catch (const store::DatabaseBusy& e) {
        Poco::Logger::get("host.http").warning("database busy: %s", std::string{e.what()});
        return errorResponse(ApiError(503, "database_busy", "The database is busy; retry shortly"),
                             shape);
    } catch (const Poco::Exception& e) {
        return internal(e.displayText());
    } catch (const std::exception& e) {
        return internal(e.what());
    } catch (...) {
        return internal("unknown exception");
    }
}

} // namespace maestro::host::http
