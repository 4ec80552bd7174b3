#include "skillhost/TemplateRenderer.h"

#include <gtest/gtest.h>

namespace {

using maestro::skillhost::renderTemplate;
using maestro::skillhost::SkillError;

const char* const kContext = R"({
  "role": "worker",
  "task": {"id": "task_1", "title": "Fix the build", "priority": 2, "done": false,
           "dependencies": ["task_0"]},
  "subtasks": [
    {"id": "task_2", "title": "Reproduce", "status": "completed", "sessionIds": ["sess_9"]},
    {"id": "task_3", "title": "Patch", "status": "todo", "sessionIds": []}
  ],
  "empty": []
})";

std::string render(const std::string& text) {
    return renderTemplate(text, kContext);
}

TEST(TemplateRenderer, SubstitutesDottedPaths) {
    EXPECT_EQ(render("{{role}}: {{task.title}} ({{ task.id }})"), "worker: Fix the build (task_1)");
}

TEST(TemplateRenderer, RendersNumbersBooleansAndMissingValues) {
    EXPECT_EQ(render("{{task.priority}} {{task.done}} [{{nothing.here}}]"), "2 false []");
}

TEST(TemplateRenderer, DoesNotEscapeMarkdown) {
    EXPECT_EQ(renderTemplate("{{x}}", R"({"x":"<a> & `b`"})"), "<a> & `b`");
}

TEST(TemplateRenderer, RepeatsSectionPerArrayItem) {
    EXPECT_EQ(render("{{#subtasks}}[{{status}}] {{title}};{{/subtasks}}"),
              "[completed] Reproduce;[todo] Patch;");
}

TEST(TemplateRenderer, LooksUpOuterScopesAndCurrentItem) {
    EXPECT_EQ(render("{{#subtasks}}{{role}}/{{#sessionIds}}{{.}}{{/sessionIds}};{{/subtasks}}"),
              "worker/sess_9;worker/;");
    EXPECT_EQ(render("{{#task.dependencies}}<{{.}}>{{/task.dependencies}}"), "<task_0>");
}

TEST(TemplateRenderer, RendersInvertedSectionForFalsyValues) {
    EXPECT_EQ(render("{{^empty}}none{{/empty}}{{^task.done}}!{{/task.done}}{{^role}}x{{/role}}"),
              "none!");
}

TEST(TemplateRenderer, IndexesArrays) {
    EXPECT_EQ(render("{{subtasks.1.title}}"), "Patch");
    // Past the end, too large for any number, not only digits: no item.
    EXPECT_EQ(render("[{{subtasks.2.title}}][{{subtasks.99999999999999999999999.title}}]"
                     "[{{subtasks.1x.title}}][{{#subtasks.18446744073709551616}}x{{/subtasks."
                     "18446744073709551616}}]"),
              "[][][][]");
}

TEST(TemplateRenderer, DropsLinesHoldingOnlyStructuralTags) {
    EXPECT_EQ(render("Subtasks:\n{{#subtasks}}\n- {{title}}\n{{/subtasks}}\n{{! note }}\nEnd\n"),
              "Subtasks:\n- Reproduce\n- Patch\nEnd\n");
}

TEST(TemplateRenderer, KeepsInlineTagsOnTheirLine) {
    EXPECT_EQ(render("a {{#empty}}x{{/empty}} b\n"), "a  b\n");
}

TEST(TemplateRenderer, ReportsUnclosedSection) {
    try {
        render("{{#subtasks}}\n- {{title}}\n");
        FAIL();
    } catch (const SkillError& e) {
        EXPECT_STREQ(e.what(), "template: section {{#subtasks}} is not closed");
    }
}

TEST(TemplateRenderer, ReportsMismatchedCloseWithLine) {
    try {
        render("line\n{{#a}}{{/b}}");
        FAIL();
    } catch (const SkillError& e) {
        EXPECT_STREQ(e.what(), "template line 2: {{/b}} closes {{#a}}");
    }
}

TEST(TemplateRenderer, ReportsEmptyTagAndBadContext) {
    EXPECT_THROW(render("{{}}"), SkillError);
    EXPECT_THROW(render("{{ no spaces allowed }}"), SkillError);
    EXPECT_THROW(renderTemplate("x", "{not json"), SkillError);
}

TEST(TemplateRenderer, RefusesSectionsNestedTooDeep) {
    const auto nested = [](int depth) {
        std::string text;
        for (int i = 0; i < depth; ++i)
            text += "{{#task}}";
        text += "{{title}}";
        for (int i = 0; i < depth; ++i)
            text += "{{/task}}";
        return text;
    };
    EXPECT_EQ(render(nested(100)), "Fix the build");
    try {
        render(nested(101));
        FAIL() << "101 levels rendered";
    } catch (const SkillError& e) {
        EXPECT_STREQ(e.what(), "template line 1: sections nested deeper than 100");
    }
    // Deep enough to run out of stack when rendered or freed: refused all the same.
    EXPECT_THROW(render(nested(1'000'000)), SkillError);
}

TEST(TemplateRenderer, TreatsEmptyContextAsEmptyObject) {
    EXPECT_EQ(renderTemplate("[{{a}}]", ""), "[]");
}

} // namespace
