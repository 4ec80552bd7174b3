#pragma once

#include "domain/Session.h"
#include "store/Connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maestro::host::store {

// What the attention inbox is built from, and its dismissals.
class AttentionRepository {
public:
    explicit AttentionRepository(Connection& connection) : db_(connection) {}

    // The live sessions, the failed ones whose failure was not dismissed and the ended ones
    // awaiting review that was not dismissed (of one project, or all): the inbox's session
    // items come from these, so dismissed items of ended sessions cost nothing.
    std::vector<domain::Session> sessions(const std::optional<std::string>& projectId);
    bool isDismissed(const std::string& itemId);
    void dismiss(const std::string& itemId, std::int64_t now);

private:
    Connection& db_;
};

} // namespace maestro::host::store
