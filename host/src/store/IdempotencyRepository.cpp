#include "store/IdempotencyRepository.h"

#include <Poco/Data/Statement.h>

#include <vector>

namespace maestro::host::store {

using namespace Poco::Data::Keywords;

std::optional<StoredResponse> IdempotencyRepository::find(const std::string& key) {
    std::vector<std::string> method, path, hash, body;
    std::vector<int> status;
    std::vector<std::int64_t> created;
    session_ << "SELECT method, path, request_hash, status, body, created_at "
                "FROM idempotency_keys WHERE key = ?",
        useRef(key), into(method), into(path), into(hash), into(status), into(body), into(created),
        now;
    if (method.empty()) return std::nullopt;
    return StoredResponse{method[0], path[0], hash[0], status[0], body[0], created[0]};
}

void IdempotencyRepository::save(const std::string& key, const StoredResponse& response) {
    session_ << "INSERT INTO idempotency_keys (key, method, path, request_hash, status, body, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        useRef(key), useRef(response.method), useRef(response.path), useRef(response.requestHash),
        useRef(response.status), useRef(response.body), useRef(response.createdAt), now;
}

std::size_t IdempotencyRepository::purgeOlderThan(std::int64_t cutoff) {
    Poco::Data::Statement del(session_);
    del << "DELETE FROM idempotency_keys WHERE created_at < ?", useRef(cutoff);
    return del.execute();
}

} // namespace maestro::host::store
