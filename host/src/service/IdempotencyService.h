#pragma once

#include "store/Database.h"

#include <chrono>
#include <functional>
#include <string>

namespace maestro::host::service {

// A reply that can be stored and given again: what a POST answered.
struct Reply {
    int status = 200;
    std::string body;
    bool replayed = false; // true when this is the stored answer to an earlier request
};

// Makes a POST with an Idempotency-Key happen once, in one of two ways:
//  - run(): the lookup, the work and the saved reply share one write transaction, so two
//    racing requests with the same key cannot both run (the second waits for the write lock,
//    then finds the first one's reply). For work that only changes the database.
//  - runReserved(): the key is reserved in one transaction, the work runs outside any
//    transaction, and the reply is saved in another. For work with effects beyond the
//    database or that waits for other writers (a spawn, a stop). A repeat while the first is
//    still running is refused with 409; a reservation left by a server that died mid-request
//    is taken over by the next attempt.
class IdempotencyService {
public:
    // Keys are kept this long (docs/api.md): a key older than this is a new key, even before
    // the hourly purge removes it.
    static constexpr std::chrono::hours kRetention{48};
    static constexpr std::size_t kMaxKeyLength = 255;

    explicit IdempotencyService(store::Database& db);

    // Runs work() unless this key was seen before. A key reused for another method, path or
    // body is refused with 422 rather than answered with an unrelated reply. Only successful
    // (2xx) replies are kept; a failed request may be retried with the same key.
    Reply run(const std::string& key, const std::string& method, const std::string& path,
              const std::string& body, const std::function<Reply()>& work);

    Reply runReserved(const std::string& key, const std::string& method, const std::string& path,
                      const std::string& body, const std::function<Reply()>& work);

    // Removes the expired keys; returns how many.
    std::size_t purgeExpired();

private:
    store::Database& db_;
    std::int64_t startedAt_; // reservations older than this process were abandoned
};

} // namespace maestro::host::service
