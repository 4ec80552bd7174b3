#include "skillhost/SpawnPlan.h"

#include "json/Writer.h"
#include "skillhost/SkillError.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace maestro::skillhost {

std::string toJson(const SpawnPlan& plan) {
    json::Writer out(1024);
    out.beginObject()
        .field("sessionId", plan.sessionId)
        .field("projectId", plan.projectId)
        .stringArray("taskIds", plan.taskIds)
        .field("role", plan.role)
        .field("agent", plan.agent)
        .field("command", plan.command)
        .stringArray("args", plan.args)
        .field("cwd", plan.cwd)
        .stringMap("env", plan.env)
        .field("briefFile", plan.briefFile)
        .field("cols", plan.cols)
        .field("rows", plan.rows)
        .field("spawner", plan.spawner)
        .endObject();
    return out.take();
}

void applyPatch(SpawnPlan& plan, std::string_view patchJson) {
    if (patchJson.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
    Poco::JSON::Object::Ptr patch;
    try {
        Poco::JSON::Parser parser;
        auto parsed = parser.parse(std::string(patchJson));
        if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
            throw Poco::DataFormatException("not a JSON object");
        patch = parsed.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw SkillError("its patch is not a JSON object: " + e.displayText());
    }
    // Checked whole before anything changes, so a bad patch leaves the plan untouched.
    SpawnPlan patched = plan;
    for (const auto& [key, value] : *patch) {
        if (key == "env") {
            if (value.type() != typeid(Poco::JSON::Object::Ptr))
                throw SkillError("patch \"env\" must be an object");
            for (const auto& [name, setting] : *value.extract<Poco::JSON::Object::Ptr>()) {
                if (setting.isEmpty())
                    patched.env.erase(name);
                else if (setting.isString())
                    patched.env[name] = setting.extract<std::string>();
                else
                    throw SkillError("patch env \"" + name + "\" must be a string or null");
            }
        } else if (key == "args") {
            if (value.type() != typeid(Poco::JSON::Array::Ptr))
                throw SkillError("patch \"args\" must be an array");
            for (const auto& arg : *value.extract<Poco::JSON::Array::Ptr>()) {
                if (!arg.isString()) throw SkillError("patch \"args\" must hold strings");
                patched.args.push_back(arg.extract<std::string>());
            }
        } else if (key == "cwd") {
            if (!value.isString() || value.extract<std::string>().empty())
                throw SkillError("patch \"cwd\" must be a non-empty string");
            patched.cwd = value.extract<std::string>();
        } else {
            throw SkillError("its patch has unknown key \"" + key + "\" (allowed: env, args, cwd)");
        }
    }
    plan = std::move(patched);
}

} // namespace maestro::skillhost
