#pragma once

#include "skillhost/SkillError.h"

#include <Poco/Dynamic/Var.h>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::skillhost {

// The template syntax of static prompt templates (docs/skills.md, "Template syntax"): a small
// Mustache subset without HTML escaping, because briefs are Markdown.
//   {{task.title}}           value at a dotted path ("." is the current item); missing -> ""
//   {{#subtasks}}…{{/subtasks}}  repeated per array item, or shown once for a truthy value
//   {{^subtasks}}…{{/subtasks}}  shown when the value is missing, false, 0, "" or []
//   {{#subtasks.length}}…{{/subtasks.length}}  shown once when the array is not empty
//   {{! comment }}
// A section or comment tag alone on its line takes the whole line with it.
class Template {
public:
    // Throws SkillError for an unclosed or mismatched section or an empty tag.
    static Template parse(std::string_view text);

    std::string render(const Poco::Dynamic::Var& context) const;

    struct Node;

private:
    std::shared_ptr<const std::vector<Node>> nodes_;
};

// Parses context JSON (an empty string is an empty object); throws SkillError.
Poco::Dynamic::Var parseContextJson(std::string_view json);

// parse + render in one step.
std::string renderTemplate(std::string_view text, std::string_view contextJson);

} // namespace maestro::skillhost
