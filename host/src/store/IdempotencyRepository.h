#pragma once

#include "store/Connection.h"

#include <cstdint>
#include <optional>
#include <string>

namespace maestro::host::store {

// The first response to a POST carrying an Idempotency-Key, kept so a repeat can be answered
// with it instead of being executed again.
struct StoredResponse {
    std::string method;
    std::string path;
    std::string requestHash; // of the body, to tell a true repeat from a reused key
    int status = 0;          // 0: reserved, the request still running
    std::string body;
    std::int64_t createdAt = 0;
};

class IdempotencyRepository {
public:
    explicit IdempotencyRepository(Connection& connection) : db_(connection) {}

    std::optional<StoredResponse> find(const std::string& key);
    void save(const std::string& key, const StoredResponse& response);
    // Records the reply of a reserved key (status was 0).
    void complete(const std::string& key, int status, const std::string& body);
    // Gives a reserved key up, so the request can be made again.
    void release(const std::string& key);
    // Forgets a key, whatever its state.
    void forget(const std::string& key);
    // Forgets up to `batch` of the keys stored before the cutoff; returns how many.
    std::int64_t purgeOlderThan(std::int64_t cutoff, std::int64_t batch);

private:
    Connection& db_;
};

} // namespace maestro::host::store
