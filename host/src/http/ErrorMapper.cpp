#include "http/ErrorMapper.h"

#include "json/Writer.h"
#include "store/StorageError.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Logger.h>
#include <atomic>
#include <string>

namespace maestro::host::http {

using domain::ApiError;

Response errorResponse(const ApiError& error) {
    json::Writer out(256 + error.detailsJson().size());
    out.beginObject()
        .field("error", true)
        .field("statusCode", error.status())
        .field("code", error.code())
        .field("message", std::string_view{error.what()})
        .key("details")
        .raw(error.detailsJson())
        .endObject();
    Response response = Response::json(error.status(), out.take());
    if (error.status() == 503) response.header("Retry-After", "1");
    return response;
}

Response mapCurrentException() {
    static std::atomic<unsigned> incidents{0};
    auto internal = [](const std::string& what) {
        auto incident = ++incidents;
        Poco::Logger::get("host.http").error("internal error #%u: %s", incident, what);
        return errorResponse(ApiError(500, "internal_error",
                                      "Internal server error (incident " +
                                          std::to_string(incident) + " in the server log)"));
    };
    try {
        throw;
    } catch (const ApiError& e) {
        return errorResponse(e);
    } catch (const store::StorageFull& e) {
        Poco::Logger::get("host.store")
            .warning("write refused, disk full: %s", std::string{e.what()});
        return errorResponse(ApiError(507, "storage_full",
                                      "The server's disk is full; nothing was changed. Retry once "
                                      "space has been freed"));
    } catch (const store::StorageUnavailable& e) {
        Poco::Logger::get("host.store").warning("storage unavailable: %s", std::string{e.what()});
        return errorResponse(ApiError(503, "storage_unavailable",
                                      "The database cannot be written (read-only or failing "
                                      "storage); nothing was changed"));
    } catch (const Poco::Data::SQLite::ConstraintViolationException& e) {
        return errorResponse(
            ApiError::conflict("constraint_violation", "The change conflicts with existing data"));
    } catch (const Poco::Data::SQLite::DBLockedException&) {
        return errorResponse(ApiError(503, "database_busy", "The database is busy; retry shortly"));
    } catch (const Poco::Data::SQLite::TableLockedException&) {
        return errorResponse(ApiError(503, "database_busy", "The database is busy; retry shortly"));
    } catch (const Poco::Exception& e) {
        return internal(e.displayText());
    } catch (const std::exception& e) {
        return internal(e.what());
    } catch (...) {
        return internal("unknown exception");
    }
}

} // namespace maestro::host::http
