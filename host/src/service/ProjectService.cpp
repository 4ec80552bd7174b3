#include "service/ProjectService.h"

#include "domain/ApiError.h"
#include "domain/Clock.h"
#include "store/ProjectRepository.h"
#include "store/SessionRepository.h"

namespace maestro::host::service {

using domain::ApiError;
using store::ProjectRepository;
namespace events = domain::events;

store::JsonPage ProjectService::list(store::Page page) {
    return db_.read(
        [&](store::Connection& connection) { return ProjectRepository(connection).list(page); });
}

std::string ProjectService::get(const std::string& id) {
    auto json = db_.read(
        [&](store::Connection& connection) { return ProjectRepository(connection).findJson(id); });
    if (!json) throw ApiError::notFound("project", id);
    return std::move(*json);
}

domain::Project ProjectService::find(const std::string& id) {
    auto project = db_.read(
        [&](store::Connection& connection) { return ProjectRepository(connection).find(id); });
    if (!project) throw ApiError::notFound("project", id);
    return std::move(*project);
}

std::string ProjectService::create(domain::ProjectDraft draft) {
    auto project = domain::makeProject(std::move(draft), domain::nowMs());
    auto json = domain::toJson(project);
    db_.write([&](store::Transaction& tx) {
        ProjectRepository(tx.connection()).insert(project, json);
        events_.record(tx, events::kProjectCreated, project.id, json);
    });
    return json;
}

std::string ProjectService::update(const std::string& id, const domain::ProjectPatch& patch,
                                   IfMatch ifMatch) {
    return db_.write([&](store::Transaction& tx) {
        ProjectRepository projects(tx.connection());
        auto project = projects.find(id);
        if (!project) throw ApiError::notFound("project", id);
        checkVersion(ifMatch, "project", project->version, domain::toJson(*project));
        if (!domain::applyPatch(*project, patch, domain::nowMs())) return domain::toJson(*project);
        auto json = domain::toJson(*project);
        projects.update(*project, json);
        events_.record(tx, events::kProjectUpdated, project->id, json);
        return json;
    });
}

void ProjectService::remove(const std::string& id, IfMatch ifMatch) {
    db_.write([&](store::Transaction& tx) {
        ProjectRepository projects(tx.connection());
        auto project = projects.find(id);
        if (!project) throw ApiError::notFound("project", id);
        checkVersion(ifMatch, "project", project->version, domain::toJson(*project));
        if (projects.hasTasks(id) ||
            store::SessionRepository(tx.connection()).projectHasSessions(id))
            throw ApiError::conflict("project_has_dependencies",
                                     "Project still has tasks or sessions; delete them first");
        projects.remove(id);
        events_.record(tx, events::kProjectDeleted, id, domain::idPayload(id));
    });
}

} // namespace maestro::host::service
