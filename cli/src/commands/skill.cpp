// maestro skill list|info|validate
#include "Paths.h"
#include "SkillSupport.h"
#include "commands/Commands.h"
#include "commands/Render.h"

#include <CLI/App.hpp>
#include <memory>

namespace maestro::cli::commands {

namespace {

enum class SkillAction { List, Info, Validate };

struct SkillOptions {
    std::string id;
    std::string dir;
    bool check = false;
};

std::vector<std::string> commandNames(const json::Object& skill) {
    std::vector<std::string> names;
    auto commands = json::array(skill, "commands");
    for (std::size_t i = 0; i < json::size(commands); ++i)
        names.push_back(json::text(json::objectAt(commands, i), "name"));
    return names;
}

void skillTable(TextOut& out, const json::Array& skills) {
    if (json::size(skills) == 0) {
        out.line("No skills installed.");
        out.line("Skill folders are read from:");
        for (const auto& root : skillRoots())
            out.line("  " + root.string());
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < json::size(skills); ++i) {
        auto skill = json::objectAt(skills, i);
        std::string status = json::text(skill, "status");
        if (auto reason = json::text(skill, "reason"); !reason.empty()) status += ": " + reason;
        rows.push_back({json::text(skill, "id"), json::text(skill, "version"),
                        render::joined(commandNames(skill)), status});
    }
    out.table({"ID", "VERSION", "COMMANDS", "STATUS"}, rows,
              [&out](std::size_t column, const std::string& cell) {
                  if (column != 3) return cell;
                  return cell.rfind("rejected", 0) == 0 ? out.style().paint(cell, Colour::Red)
                                                        : cell;
              });
}

void skillDetail(TextOut& out, const json::Object& skill) {
    out.fields({
        {"id", json::text(skill, "id")},
        {"name", json::text(skill, "name")},
        {"version", json::text(skill, "version")},
        {"status", json::text(skill, "status")},
        {"reason", json::text(skill, "reason")},
        {"description", json::text(skill, "description")},
        {"roles", render::joined(json::strings(skill, "roles"))},
        {"dir", json::text(skill, "dir")},
        {"library", json::text(skill, "library")},
        {"abi", json::text(skill, "abi")},
    });
    auto commands = json::array(skill, "commands");
    if (json::size(commands) > 0) {
        out.line(out.style().paint("commands:", Colour::Bold));
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < json::size(commands); ++i) {
            auto command = json::objectAt(commands, i);
            rows.push_back(
                {"  maestro " + json::text(command, "name"), json::text(command, "summary")});
        }
        out.table({"  COMMAND", "SUMMARY"}, rows);
    }
    if (auto instructions = json::text(skill, "instructions"); !instructions.empty()) {
        out.line(out.style().paint("instructions:", Colour::Bold));
        out.stream() << instructions << (instructions.back() == '\n' ? "" : "\n");
    }
}

Result runSkill(SkillAction action, const SkillOptions& o, Invocation&) {
    switch (action) {
    case SkillAction::List: {
        auto body = describeSkills(skillRoots(), o.check);
        auto skills = json::parseArray(body);
        return Result{body, [skills](TextOut& out) { skillTable(out, skills); },
                      render::ids(skills)};
    }
    case SkillAction::Info: {
        auto skills = json::parseArray(describeSkills(skillRoots(), false));
        for (std::size_t i = 0; i < json::size(skills); ++i) {
            auto skill = json::objectAt(skills, i);
            if (json::text(skill, "id") != o.id) continue;
            // Only this skill's library is loaded for the check.
            if (o.check && json::text(skill, "status") == "available")
                skill = json::parseObject(validateSkillFolder(json::text(skill, "dir")));
            return Result{
                json::stringify(skill), [skill](TextOut& out) { skillDetail(out, skill); }, {o.id}};
        }
        throw CliError(kExitRefused, "skill_not_found", "no skill '" + o.id + "' is installed");
    }
    case SkillAction::Validate: {
        auto body = validateSkillFolder(o.dir);
        auto skill = json::parseObject(body);
        const bool valid = json::text(skill, "status") != "rejected";
        Result result{body,
                      [skill, valid](TextOut& out) {
                          out.line(valid ? out.style().paint("valid", Colour::Green)
                                         : out.style().paint("invalid", Colour::Red));
                          skillDetail(out, skill);
                      },
                      {json::text(skill, "id")}};
        result.exitCode = valid ? kExitOk : kExitRefused;
        return result;
    }
    }
    throw CliError::internal("unhandled skill command");
}

} // namespace

void setupSkill(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<SkillOptions>();
    CLI::App* group = addGroup(app, "skill", "Inspect and check installed skills");
    const auto add = [&](const char* name, const char* summary, SkillAction action) {
        return table.add(*group, name, summary, kLocal,
                         [o, action](Invocation& inv) { return runSkill(action, *o, inv); });
    };
    add("list", "List installed skills (manifests only; --check loads each)", SkillAction::List)
        ->add_flag("--check", o->check, "Load every library (in a child process) to check it");
    auto* info = add("info", "Show one skill: commands, roles, instructions", SkillAction::Info);
    info->add_option("SKILL", o->id, "Skill id")->required();
    info->add_flag("--check", o->check, "Load its library (in a child process) to check it");
    add("validate", "Check a skill folder: its manifest, and that its library loads",
        SkillAction::Validate)
        ->add_option("DIR", o->dir, "The skill folder")
        ->required();
}

} // namespace maestro::cli::commands
