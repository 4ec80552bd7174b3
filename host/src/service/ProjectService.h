#pragma once

#include "domain/Project.h"
#include "service/EventRecorder.h"
#include "service/Precondition.h"
#include "store/Database.h"
#include "store/Paging.h"

#include <string>

namespace maestro::host::service {

class ProjectService {
public:
    ProjectService(store::Database& db, EventRecorder& events) : db_(db), events_(events) {}

    store::JsonPage list(store::Page page);
    std::string get(const std::string& id);
    domain::Project find(const std::string& id); // throws 404
    std::string create(domain::ProjectDraft draft);
    std::string update(const std::string& id, const domain::ProjectPatch& patch, IfMatch ifMatch);
    // A project that still has tasks is refused (409): deleting work by accident must be hard.
    void remove(const std::string& id, IfMatch ifMatch);

private:
    store::Database& db_;
    EventRecorder& events_;
};

} // namespace maestro::host::service
