#pragma once

#include "domain/Session.h"
#include "store/Connection.h"
#include "store/Paging.h"

#include <optional>
#include <string>
#include <vector>

namespace maestro::host::store {

struct SessionFilter {
    std::optional<std::string> projectId;
    std::optional<std::string> taskId;
    std::optional<domain::SessionStatus> status;
    bool liveOnly = false; // spawning, running, idle or working
};

class SessionRepository {
public:
    explicit SessionRepository(Connection& connection) : db_(connection) {}

    void insert(const domain::Session& session, const std::string& json);
    void update(const domain::Session& session, const std::string& json);
    // Rewrites only the stored JSON: for fields that are neither query columns nor versioned
    // (activity).
    void updateJson(const std::string& id, const std::string& json);
    void remove(const std::string& id);
    std::optional<domain::Session> find(const std::string& id);
    std::optional<std::string> findJson(const std::string& id);
    JsonPage list(const SessionFilter& filter, Page page);
    // Sessions a previous server left live (for crash recovery at start-up).
    std::vector<domain::Session> live();
    // Sessions of a node in one status (the ones it lost, say).
    std::vector<domain::Session> onNode(const std::string& nodeId, domain::SessionStatus status);
    // The live sessions of every node but `self` whose last heartbeat is older than `cutoff`
    // (a stopped node's too: no one reaches their terminals).
    std::vector<domain::Session> liveOnSilentNodes(const std::string& self, std::int64_t cutoff);
    bool projectHasSessions(const std::string& projectId);

private:
    void replaceTasks(const domain::Session& session);

    Connection& db_;
};

} // namespace maestro::host::store
