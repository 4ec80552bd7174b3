#include "service/AttentionService.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "domain/Event.h"
#include "store/AttentionRepository.h"
#include "store/ProjectRepository.h"
#include "store/TaskRepository.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace maestro::host::service {

namespace {

// More blocked tasks than this are not a list a person reads; the overview counts them.
constexpr std::int64_t kMaxBlocked = 500;

std::vector<domain::AttentionItem> itemsOf(store::Connection& connection,
                                           const std::optional<std::string>& projectId) {
    store::AttentionRepository attention(connection);
    std::vector<domain::AttentionItem> items;
    for (const auto& session : attention.sessions(projectId))
        std::ranges::move(domain::attentionOf(session), std::back_inserter(items));
    for (const auto& task :
         store::TaskRepository(connection).blockedSummaries(projectId, kMaxBlocked))
        items.push_back(domain::blockedItem(task.id, task.projectId, task.title, task.blockedReason,
                                            task.blockedAt.value_or(task.updatedAt)));
    std::erase_if(items, [&](const auto& item) { return attention.isDismissed(item.id); });
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.since > b.since; });
    return items;
}

} // namespace

void announceAttention(EventRecorder& events, store::Transaction& tx,
                       const std::string& projectId) {
    json::Writer out;
    out.beginObject().field("projectId", projectId).endObject();
    events.record(tx, domain::events::kAttentionChanged, projectId, out.take());
}

std::string AttentionService::list(const std::optional<std::string>& projectId) {
    auto items = db_.read([&](store::Connection& connection) {
        if (projectId && !store::ProjectRepository(connection).findJson(*projectId))
            throw domain::ApiError::notFound("project", *projectId);
        return itemsOf(connection, projectId);
    });
    json::Writer out(256 * items.size() + 2);
    out.beginArray();
    for (const auto& item : items)
        domain::writeJson(out, item);
    out.endArray();
    return out.take();
}

std::string AttentionService::dismiss(const std::vector<std::string>& ids) {
    return db_.write([&](store::Transaction& tx) {
        auto items = itemsOf(tx.connection(), std::nullopt);
        store::AttentionRepository attention(tx.connection());
        std::vector<std::string> dismissed, unknown;
        std::set<std::string> projects;
        auto now = domain::nowMs();
        for (const auto& id : ids) {
            auto item = std::find_if(items.begin(), items.end(),
                                     [&](const auto& candidate) { return candidate.id == id; });
            if (item == items.end()) {
                unknown.push_back(id);
                continue;
            }
            attention.dismiss(id, now);
            dismissed.push_back(id);
            projects.insert(item->projectId);
            items.erase(item);
        }
        for (const auto& project : projects)
            announceAttention(events_, tx, project);
        json::Writer out;
        out.beginObject()
            .stringArray("dismissed", dismissed)
            .stringArray("unknown", unknown)
            .endObject();
        return out.take();
    });
}

} // namespace maestro::host::service
