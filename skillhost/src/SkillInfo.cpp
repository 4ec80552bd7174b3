#include "skillhost/SkillInfo.h"

#include <Poco/JSON/Array.h>

namespace maestro::skillhost {

namespace {

Poco::JSON::Array::Ptr stringArray(const std::vector<std::string>& values) {
    Poco::JSON::Array::Ptr array(new Poco::JSON::Array);
    for (const auto& value : values)
        array->add(value);
    return array;
}

} // namespace

std::string_view toString(SkillStatus status) {
    switch (status) {
    case SkillStatus::Loaded:
        return "loaded";
    case SkillStatus::Rejected:
        return "rejected";
    case SkillStatus::Instructions:
        return "instructions";
    case SkillStatus::Available:
        return "available";
    }
    return "rejected";
}

std::string_view toString(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::Loaded:
        return "loaded";
    case ChangeKind::Reloaded:
        return "reloaded";
    case ChangeKind::Unloaded:
        return "unloaded";
    case ChangeKind::Rejected:
        return "rejected";
    }
    return "rejected";
}

std::string_view eventType(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::Loaded:
    case ChangeKind::Reloaded:
        return "skill:loaded";
    case ChangeKind::Unloaded:
        return "skill:unloaded";
    case ChangeKind::Rejected:
        return "skill:rejected";
    }
    return "skill:rejected";
}

Poco::JSON::Object::Ptr toJson(const SkillInfo& info) {
    Poco::JSON::Object::Ptr json(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
    json->set("id", info.id);
    json->set("name", info.name);
    json->set("version", info.version);
    json->set("description", info.description);
    json->set("roles", stringArray(info.roles));
    json->set("dir", info.dir.string());
    json->set("library", info.library);
    json->set("abi", info.abi);
    json->set("status", std::string(toString(info.status)));
    json->set("reason", info.reason);
    json->set("instructions", info.instructions);

    Poco::JSON::Array::Ptr commands(new Poco::JSON::Array);
    for (const auto& command : info.commands) {
        Poco::JSON::Object::Ptr item(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
        item->set("name", command.path);
        item->set("summary", command.summary);
        Poco::JSON::Array::Ptr options(new Poco::JSON::Array);
        for (const auto& option : command.options) {
            Poco::JSON::Object::Ptr o(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
            o->set("name", option.name);
            o->set("valueName", option.valueName);
            o->set("summary", option.summary);
            o->set("required", option.required);
            options->add(o);
        }
        item->set("options", options);
        commands->add(item);
    }
    json->set("commands", commands);

    Poco::JSON::Array::Ptr templates(new Poco::JSON::Array);
    for (const auto& tmpl : info.templates) {
        Poco::JSON::Object::Ptr item(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
        item->set("id", tmpl.id);
        item->set("roles", stringArray(tmpl.roles));
        item->set("dynamic", tmpl.dynamic);
        templates->add(item);
    }
    json->set("templates", templates);

    Poco::JSON::Array::Ptr hooks(new Poco::JSON::Array);
    for (const auto& hook : info.hooks) {
        Poco::JSON::Object::Ptr item(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
        item->set("id", hook.id);
        item->set("roles", stringArray(hook.roles));
        item->set("order", hook.order);
        hooks->add(item);
    }
    json->set("hooks", hooks);
    return json;
}

Poco::JSON::Object::Ptr toJson(const SkillChange& change) {
    Poco::JSON::Object::Ptr json(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
    json->set("id", change.id);
    json->set("dir", change.dir.string());
    json->set("change", std::string(toString(change.kind)));
    json->set("reason", change.reason);
    return json;
}

} // namespace maestro::skillhost
