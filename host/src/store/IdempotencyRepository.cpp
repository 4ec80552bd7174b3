#include "store/IdempotencyRepository.h"

namespace maestro::host::store {

std::optional<StoredResponse> IdempotencyRepository::find(const std::string& key) {
    auto query = db_.prepare("SELECT method, path, request_hash, status, body, created_at "
                             "FROM idempotency_keys WHERE key = ?");
    query.bind(1, key);
    if (!query.step()) return std::nullopt;
    return StoredResponse{query.string(0), query.string(1),
                          query.string(2), static_cast<int>(query.integer(3)),
                          query.string(4), query.integer(5)};
}

void IdempotencyRepository::save(const std::string& key, const StoredResponse& response) {
    db_.prepare("INSERT INTO idempotency_keys (key, method, path, request_hash, status, body, "
                "created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, key)
        .bind(2, response.method)
        .bind(3, response.path)
        .bind(4, response.requestHash)
        .bind(5, static_cast<std::int64_t>(response.status))
        .bind(6, response.body)
        .bind(7, response.createdAt)
        .run();
}

void IdempotencyRepository::complete(const std::string& key, int status, const std::string& body) {
    db_.prepare("UPDATE idempotency_keys SET status = ?, body = ? WHERE key = ?")
        .bind(1, static_cast<std::int64_t>(status))
        .bind(2, body)
        .bind(3, key)
        .run();
}

void IdempotencyRepository::release(const std::string& key) {
    db_.prepare("DELETE FROM idempotency_keys WHERE key = ? AND status = 0").bind(1, key).run();
}

void IdempotencyRepository::forget(const std::string& key) {
    db_.prepare("DELETE FROM idempotency_keys WHERE key = ?").bind(1, key).run();
}

std::int64_t IdempotencyRepository::purgeOlderThan(std::int64_t cutoff, std::int64_t batch) {
    db_.prepare("DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys "
                "WHERE created_at < ? ORDER BY created_at LIMIT ?)")
        .bind(1, cutoff)
        .bind(2, batch)
        .run();
    return db_.changes();
}

} // namespace maestro::host::store
