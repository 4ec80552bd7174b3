// maestro project list|create|get|delete
#include "commands/Commands.h"
#include "commands/Render.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <filesystem>
#include <memory>

namespace maestro::cli::commands {

namespace {

enum class ProjectAction { List, Create, Get, Delete };

struct ProjectOptions {
    std::string id;
    std::string name;
    std::string dir;
    std::string description;
};

std::string projectPath(const std::string& id) {
    return "/api/projects/" + pathSegment(id);
}

Result projectResult(const std::string& body, bool detail) {
    auto project = json::parseObject(body);
    return Result{body,
                  [project, detail](TextOut& out) {
                      if (detail) return render::projectDetail(out, project);
                      out.line("Created project " + json::text(project, "id") + " \"" +
                               json::text(project, "name") + "\"");
                  },
                  {json::text(project, "id")}};
}

Result runProject(ProjectAction action, const ProjectOptions& o, Invocation& inv) {
    switch (action) {
    case ProjectAction::List: {
        auto body = inv.api().get("/api/projects").body;
        auto projects = json::parseArray(body);
        return Result{body, [projects](TextOut& out) { render::projectTable(out, projects); },
                      render::ids(projects)};
    }
    case ProjectAction::Create: {
        checkText(o.name, "the project name");
        // A project is where its agents work: the current directory unless --dir says otherwise.
        std::error_code ec;
        auto dir = o.dir.empty() ? std::filesystem::current_path(ec)
                                 : std::filesystem::absolute(o.dir, ec);
        maestro::json::Writer body;
        body.beginObject()
            .field("name", o.name)
            .field("workingDir", dir.lexically_normal().string());
        if (!o.description.empty()) body.field("description", o.description);
        body.endObject();
        return projectResult(inv.api().post("/api/projects", body.take()).body, false);
    }
    case ProjectAction::Get: {
        auto id = inv.idOrDefault(o.id, inv.project(), "project", "PROJECT", "--project");
        return projectResult(inv.api().get(projectPath(id)).body, true);
    }
    case ProjectAction::Delete: {
        checkId(o.id, "project");
        return deletedResult(inv.api().del(projectPath(o.id)).body, o.id);
    }
    }
    throw CliError::internal("unhandled project command");
}

} // namespace

void setupProject(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<ProjectOptions>();
    CLI::App* group = addGroup(app, "project", "Create and inspect projects");
    const auto add = [&](const char* name, const char* summary, ProjectAction action) {
        return table.add(*group, name, summary, kServer,
                         [o, action](Invocation& inv) { return runProject(action, *o, inv); });
    };
    add("list", "List projects", ProjectAction::List);
    auto* create = add("create", "Create a project", ProjectAction::Create);
    create->add_option("NAME", o->name, "Name")->required();
    create->add_option("--dir", o->dir, "Working directory (default: the current one)")
        ->type_name("DIR");
    create->add_option("--desc,--description", o->description, "Description")->type_name("TEXT");
    add("get", "Show a project", ProjectAction::Get)
        ->add_option("PROJECT", o->id, "Project id (default --project / $MAESTRO_PROJECT_ID)");
    add("delete", "Delete a project", ProjectAction::Delete)
        ->add_option("PROJECT", o->id, "Project id")
        ->required();
}

} // namespace maestro::cli::commands
