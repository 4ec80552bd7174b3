#include "service/IdempotencyService.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "store/IdempotencyRepository.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace maestro::host::service {

using domain::ApiError;

namespace {

std::string hashOf(const std::string& body) {
    Poco::SHA1Engine sha1;
    sha1.update(body);
    return Poco::DigestEngine::digestToHex(sha1.digest());
}

void checkKey(const std::string& key) {
    bool printable = !key.empty() && key.size() <= IdempotencyService::kMaxKeyLength;
    for (char c : key)
        printable = printable && c > 0x20 && c < 0x7f;
    if (!printable)
        throw ApiError::badRequest("invalid_idempotency_key",
                                   "Idempotency-Key must be 1-255 printable ASCII characters");
}

// The stored reply for a repeat, checked against the new request.
Reply replay(const store::StoredResponse& prior, const std::string& method, const std::string& path,
             const std::string& hash) {
    if (prior.method != method || prior.path != path || prior.requestHash != hash)
        throw ApiError(422, "idempotency_key_reused",
                       "This Idempotency-Key was already used for a different request");
    return Reply{prior.status, prior.body, true};
}

std::int64_t retentionMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(IdempotencyService::kRetention)
        .count();
}

// The key's earlier request, unless it is older than the retention: an expired key is
// forgotten here even before the hourly purge gets to it, so keys expire when documented.
std::optional<store::StoredResponse> lookUp(store::IdempotencyRepository& keys,
                                            const std::string& key) {
    auto found = keys.find(key);
    if (found && found->createdAt < domain::nowMs() - retentionMs()) {
        keys.forget(key);
        return std::nullopt;
    }
    return found;
}

} // namespace

IdempotencyService::IdempotencyService(store::Database& db)
    : db_(db), startedAt_(domain::nowMs()) {}

Reply IdempotencyService::run(const std::string& key, const std::string& method,
                              const std::string& path, const std::string& body,
                              const std::function<Reply()>& work) {
    checkKey(key);
    auto hash = hashOf(body);
    return db_.write([&](store::Transaction& tx) {
        store::IdempotencyRepository keys(tx.connection());
        if (auto prior = lookUp(keys, key)) return replay(*prior, method, path, hash);
        auto reply = work();
        if (reply.status >= 200 && reply.status < 300)
            keys.save(key, {method, path, hash, reply.status, reply.body, domain::nowMs()});
        return reply;
    });
}

Reply IdempotencyService::runReserved(const std::string& key, const std::string& method,
                                      const std::string& path, const std::string& body,
                                      const std::function<Reply()>& work) {
    checkKey(key);
    auto hash = hashOf(body);
    auto prior = db_.write([&](store::Transaction& tx) -> std::optional<Reply> {
        store::IdempotencyRepository keys(tx.connection());
        auto found = lookUp(keys, key);
        if (found && found->status != 0) return replay(*found, method, path, hash);
        if (found && found->createdAt >= startedAt_)
            throw ApiError::conflict(
                "request_in_progress",
                "A request with this Idempotency-Key is still running; retry later");
        if (found) keys.release(key); // reserved by a server that died mid-request
        keys.save(key, {method, path, hash, 0, "", domain::nowMs()});
        return std::nullopt;
    });
    if (prior) return *prior;

    Reply reply;
    try {
        reply = work();
    } catch (...) {
        db_.write([&](store::Transaction& tx) {
            store::IdempotencyRepository(tx.connection()).release(key);
        });
        throw;
    }
    db_.write([&](store::Transaction& tx) {
        store::IdempotencyRepository keys(tx.connection());
        if (reply.status >= 200 && reply.status < 300)
            keys.complete(key, reply.status, reply.body);
        else
            keys.release(key);
    });
    return reply;
}

std::size_t IdempotencyService::purgeExpired() {
    constexpr std::int64_t kBatch = 10'000;
    auto cutoff = domain::nowMs() - retentionMs();
    return static_cast<std::size_t>(db_.writeInBatches(kBatch, [&](store::Transaction& tx) {
        return store::IdempotencyRepository(tx.connection()).purgeOlderThan(cutoff, kBatch);
    }));
}

} // namespace maestro::host::service
