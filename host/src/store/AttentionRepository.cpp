#include "store/AttentionRepository.h"

namespace maestro::host::store {

std::vector<domain::Session>
AttentionRepository::sessions(const std::optional<std::string>& projectId) {
    std::string sql =
        "SELECT json FROM sessions WHERE (status IN ('spawning','running','idle','working') OR "
        "(status = 'failed' AND NOT EXISTS (SELECT 1 FROM attention_dismissals d "
        "WHERE d.id = 'failed:' || sessions.id)) OR "
        "(awaiting_review = 1 AND NOT EXISTS (SELECT 1 FROM attention_dismissals d "
        "WHERE d.id = 'review:' || sessions.id)))";
    if (projectId) sql += " AND project_id = ?";
    auto query = db_.prepare(sql);
    if (projectId) query.bind(1, *projectId);
    std::vector<domain::Session> sessions;
    while (query.step())
        sessions.push_back(domain::sessionFromJson(query.text(0)));
    return sessions;
}

bool AttentionRepository::isDismissed(const std::string& itemId) {
    auto query = db_.prepare("SELECT 1 FROM attention_dismissals WHERE id = ?");
    query.bind(1, itemId);
    return query.step();
}

void AttentionRepository::dismiss(const std::string& itemId, std::int64_t now) {
    db_.prepare("INSERT INTO attention_dismissals (id, dismissed_at) VALUES (?, ?) "
                "ON CONFLICT (id) DO NOTHING")
        .bind(1, itemId)
        .bind(2, now)
        .run();
}

} // namespace maestro::host::store
