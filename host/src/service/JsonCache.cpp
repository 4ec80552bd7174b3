#include "service/JsonCache.h"

namespace maestro::host::service {

std::optional<std::string> JsonCache::find(const std::string& id) {
    std::shared_ptr<const std::string> json;
    {
        std::lock_guard lock(mutex_);
        auto it = index_.find(id);
        if (it == index_.end()) return std::nullopt;
        recent_.splice(recent_.begin(), recent_, it->second);
        json = it->second->json;
    }
    return *json; // copied outside the lock
}

void JsonCache::fill(const std::string& id, std::string json, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (generation_.load() != generation) return; // a write committed meanwhile
    put(id, std::move(json));
}

void JsonCache::onCommit(store::Transaction& tx, std::string id, std::optional<std::string> json) {
    tx.onCommit([this, id = std::move(id), json = std::move(json)]() mutable {
        std::lock_guard lock(mutex_);
        ++generation_;
        if (json)
            put(id, std::move(*json));
        else
            erase(id);
    });
}

void JsonCache::put(const std::string& id, std::string json) {
    erase(id);
    if (json.size() > maxBytes_ / 4) return; // one entity never crowds out the rest
    bytes_ += json.size();
    recent_.push_front({id, std::make_shared<const std::string>(std::move(json))});
    index_.emplace(id, recent_.begin());
    while (bytes_ > maxBytes_) {
        bytes_ -= recent_.back().json->size();
        index_.erase(recent_.back().id);
        recent_.pop_back();
    }
}

void JsonCache::erase(const std::string& id) {
    auto it = index_.find(id);
    if (it == index_.end()) return;
    bytes_ -= it->second->json->size();
    recent_.erase(it->second);
    index_.erase(it);
}

} // namespace maestro::host::service
