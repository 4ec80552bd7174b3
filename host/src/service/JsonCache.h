#pragma once

#include "store/Database.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace maestro::host::service {

// Entities as the API renders them, kept in memory by id, so the hottest read — one entity by
// id — needs neither the database nor a worker thread (see LoopHandler in http/Router.h).
//
// The service that writes an entity registers its new JSON with the write transaction; it
// replaces the cached copy when the transaction commits, in commit order (write-through). A
// read that missed and went to the database fills the cache only if no write committed while
// it was under way: a copy read from a snapshot older than the last commit can never land
// after a newer one. Bounded by bytes; the least recently used entries go first.
class JsonCache {
public:
    explicit JsonCache(std::size_t maxBytes = 32u << 20) : maxBytes_(maxBytes) {}
    JsonCache(const JsonCache&) = delete;
    JsonCache& operator=(const JsonCache&) = delete;

    std::optional<std::string> find(const std::string& id);
    // Taken before reading the database, handed to fill() after.
    std::uint64_t generation() const noexcept { return generation_.load(); }
    void fill(const std::string& id, std::string json, std::uint64_t generation);
    // When tx commits: id's JSON becomes json, or the entity is gone (nullopt).
    void onCommit(store::Transaction& tx, std::string id, std::optional<std::string> json);

private:
    struct Entry {
        std::string id;
        std::shared_ptr<const std::string> json;
    };
    void put(const std::string& id, std::string json);
    void erase(const std::string& id);

    std::mutex mutex_;
    std::list<Entry> recent_; // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::size_t bytes_ = 0;
    std::size_t maxBytes_;
    std::atomic<std::uint64_t> generation_{0}; // writes committed
};

} // namespace maestro::host::service
