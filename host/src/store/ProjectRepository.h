#pragma once

#include "domain/Project.h"
#include "store/Connection.h"
#include "store/Paging.h"

#include <optional>
#include <string>

namespace maestro::host::store {

class ProjectRepository {
public:
    explicit ProjectRepository(Connection& connection) : db_(connection) {}

    void insert(const domain::Project& project, const std::string& json);
    void update(const domain::Project& project, const std::string& json);
    void remove(const std::string& id);
    std::optional<domain::Project> find(const std::string& id);
    std::optional<std::string> findJson(const std::string& id);
    JsonPage list(Page page);
    bool hasTasks(const std::string& id);

private:
    Connection& db_;
};

} // namespace maestro::host::store
