#include "Output.h"

#include "Json.h"
#include "commands/Render.h"

#include <cstdlib>
#include <ctime>
#include <gtest/gtest.h>
#include <sstream>

namespace maestro::cli {
namespace {

class OutputTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }

    std::string text(const std::function<void(TextOut&)>& render, bool colour = false) {
        std::ostringstream out;
        TextOut text(out, Style(colour));
        render(text);
        return out.str();
    }

    Output output(OutputOptions options) { return Output(options, out_, err_); }

    std::ostringstream out_;
    std::ostringstream err_;
};

const char* kTask =
    R"({"id":"task_1","projectId":"proj_1","parentId":null,"title":"Write the parser","description":"Two\nlines","status":"blocked","priority":"high","createdAt":1700000000000,"updatedAt":1700000060000,"startedAt":null,"completedAt":null,"sessionIds":["sess_1","sess_2"],"dependencies":[],"blockedReason":"waiting for the grammar","version":3,"timeline":[{"id":"e1","type":"created","message":"Task created","timestamp":1700000000000},{"id":"e2","type":"blocker","message":"waiting for the grammar","timestamp":1700000060000}]})";

TEST_F(OutputTest, TablesAlignColumnsByCharacters) {
    auto result = text([](TextOut& out) {
        out.table({"ID", "TITLE", "X"}, {{"a", "héllo", "1"}, {"bbbb", "x", "2"}});
    });
    EXPECT_EQ(result, "ID    TITLE  X\n"
                      "a     héllo  1\n"
                      "bbbb  x      2\n");
}

TEST_F(OutputTest, FieldsAlignValuesAndSkipEmptyOnes) {
    auto result = text([](TextOut& out) {
        out.fields({{"id", "t1"}, {"empty", ""}, {"description", "one\ntwo"}});
    });
    EXPECT_EQ(result, "id:           t1\n"
                      "description:  one\n"
                      "              two\n");
}

TEST_F(OutputTest, ColourOnlyWhenEnabled) {
    Style plain(false), colour(true);
    EXPECT_EQ(plain.status("blocked"), "blocked");
    EXPECT_EQ(colour.status("blocked"), "\033[31mblocked\033[0m");
    EXPECT_EQ(colour.status("completed"), "\033[32mcompleted\033[0m");
    EXPECT_EQ(colour.status("todo"), "todo");
    EXPECT_EQ(colour.paint("", Colour::Bold), "");
}

TEST_F(OutputTest, NoColorTurnsColourOff) {
    ::setenv("NO_COLOR", "1", 1);
    EXPECT_FALSE(colourWanted(1));
    ::unsetenv("NO_COLOR");
    ::setenv("TERM", "dumb", 1);
    EXPECT_FALSE(colourWanted(1));
}

TEST_F(OutputTest, ColouredTablesStayAligned) {
    auto result = text(
        [](TextOut& out) {
            out.table({"ID", "STATUS", "T"}, {{"a", "blocked", "x"}, {"b", "todo", "y"}},
                      [&out](std::size_t column, const std::string& cell) {
                          return column == 1 ? out.style().status(cell) : cell;
                      });
        },
        true);
    EXPECT_NE(result.find("a   \033[31mblocked\033[0m  x\n"), std::string::npos) << result;
    EXPECT_NE(result.find("b   todo     y\n"), std::string::npos) << result;
}

TEST_F(OutputTest, JsonPrintsTheDocumentAlone) {
    auto out = output({.json = true});
    out.result(Result{R"({"id":"t"})", [](TextOut& text) { text.line("human"); }, {"t"}});
    EXPECT_EQ(out_.str(), "{\"id\":\"t\"}\n");
    EXPECT_EQ(err_.str(), "");
}

TEST_F(OutputTest, QuietPrintsOnlyIds) {
    auto out = output({.quiet = true});
    out.result(Result{"{}", [](TextOut& text) { text.line("human"); }, {"a", "b"}});
    out.note("a note");
    EXPECT_EQ(out_.str(), "a\nb\n");
    EXPECT_EQ(err_.str(), "");
}

TEST_F(OutputTest, TextIsTheDefault) {
    auto out = output({});
    out.result(Result{"{}", [](TextOut& text) { text.line("human"); }, {"a"}});
    EXPECT_EQ(out_.str(), "human\n");
}

TEST_F(OutputTest, StreamedResultsPrintNothingMore) {
    auto out = output({.json = true});
    out.streamItem(R"({"seq":1})", nullptr);
    Result result;
    result.streamed = true;
    out.result(result);
    EXPECT_EQ(out_.str(), "{\"seq\":1}\n");
}

TEST_F(OutputTest, AStreamEndsWhenStdoutIsGone) {
    auto out = output({});
    EXPECT_TRUE(out.streamItem("{}", [](TextOut& text) { text.line("one"); }));
    out_.setstate(std::ios::badbit);
    EXPECT_FALSE(out.streamItem("{}", [](TextOut& text) { text.line("two"); }));
}

TEST_F(OutputTest, ErrorsGoToStdoutAsJsonAndToStderrAsText) {
    CliError error = CliError::fromResponse(
        kExitRefused, 404,
        R"({"error":true,"statusCode":404,"code":"task_not_found","message":"Task not found: x","details":{}})");
    {
        auto out = output({.json = true});
        out.error(error);
        EXPECT_EQ(
            out_.str(),
            R"({"error":true,"statusCode":404,"code":"task_not_found","message":"Task not found: x","details":{}})"
            "\n");
    }
    out_.str("");
    {
        auto out = output({});
        out.error(error);
        EXPECT_EQ(out_.str(), "");
        EXPECT_EQ(err_.str(), "error: Task not found: x (task_not_found, HTTP 404)\n");
    }
    err_.str("");
    output({}).error(CliError::usage("no task"));
    EXPECT_EQ(err_.str(), "error: no task\nRun 'maestro --help' for usage.\n");
}

TEST_F(OutputTest, VerboseShowsDebugLinesAndErrorDocuments) {
    auto out = output({.verbose = true});
    out.debug("retrying");
    out.error(CliError::internal("bug"));
    EXPECT_NE(err_.str().find("retrying\n"), std::string::npos);
    EXPECT_NE(err_.str().find(R"("code":"internal_error")"), std::string::npos);
    err_.str("");
    output({}).debug("hidden");
    EXPECT_EQ(err_.str(), "");
}

TEST_F(OutputTest, TaskTableShowsBlockReasons) {
    auto tasks = json::parseArray(std::string("[") + kTask + "]");
    auto result = text([&tasks](TextOut& out) { render::taskTable(out, tasks); });
    EXPECT_EQ(result,
              "ID      STATUS   PRIORITY  TITLE\n"
              "task_1  blocked  high      Write the parser (blocked: waiting for the grammar)\n");
    EXPECT_EQ(text([](TextOut& out) { render::taskTable(out, json::parseArray("[]")); }),
              "No tasks.\n");
}

TEST_F(OutputTest, TaskDetailShowsFieldsAndTimeline) {
    auto task = json::parseObject(kTask);
    auto result = text([&task](TextOut& out) { render::taskDetail(out, task); });
    EXPECT_NE(result.find("status:       blocked\n"), std::string::npos) << result;
    EXPECT_NE(result.find("blocked:      waiting for the grammar\n"), std::string::npos);
    EXPECT_NE(result.find("sessions:     sess_1, sess_2\n"), std::string::npos);
    EXPECT_NE(result.find("created:      2023-11-14 22:13:20\n"), std::string::npos);
    EXPECT_NE(result.find("description:  Two\n              lines\n"), std::string::npos);
    EXPECT_EQ(result.find("parent:"), std::string::npos); // null is left out
    EXPECT_NE(result.find("2023-11-14 22:14:20  blocker  waiting for the grammar"),
              std::string::npos);
}

TEST_F(OutputTest, TaskLineSaysWhatHappened) {
    auto task = json::parseObject(kTask);
    EXPECT_EQ(text([&task](TextOut& out) { render::taskLine(out, "Blocked", task); }),
              "Blocked task_1 \"Write the parser\" (blocked: waiting for the grammar)\n");
}

TEST_F(OutputTest, EventLinesNameTheirSubject) {
    auto event = json::parseObject(
        R"({"type":"subtask:created","event":"subtask:created","seq":7,"timestamp":1700000000000,"data":{"taskId":"task_1","subtask":{"id":"task_2","title":"Lexer","status":"todo"}}})");
    EXPECT_EQ(text([&event](TextOut& out) { render::eventLine(out, event); }),
              "#7  2023-11-14 22:13:20  subtask:created  task_2  Lexer  [todo]\n");
    auto summary = json::parseObject(
        R"({"seq":8,"type":"project:created","timestamp":1700000000000,"id":"proj_1","name":"Demo"})");
    EXPECT_EQ(text([&summary](TextOut& out) { render::eventLine(out, summary); }),
              "#8  2023-11-14 22:13:20  project:created  proj_1  Demo\n");
    // Shorter types are padded, so a stream of lines keeps its columns.
    auto task = json::parseObject(
        R"({"type":"task:created","seq":9,"timestamp":1700000000000,"data":{"id":"task_3","title":"Parser","status":"todo"}})");
    EXPECT_EQ(text([&task](TextOut& out) { render::eventLine(out, task); }),
              "#9  2023-11-14 22:13:20  task:created     task_3  Parser  [todo]\n");
}

TEST_F(OutputTest, ProjectAndSessionViews) {
    auto projects = json::parseArray(R"([{"id":"proj_1","name":"Demo","workingDir":"/src"}])");
    EXPECT_EQ(text([&projects](TextOut& out) { render::projectTable(out, projects); }),
              "ID      NAME  WORKING DIR\nproj_1  Demo  /src\n");
    auto sessions = json::parseArray(
        R"([{"id":"sess_1","status":"running","role":"worker","taskIds":["task_1"],"name":"w1"}])");
    EXPECT_EQ(text([&sessions](TextOut& out) { render::sessionTable(out, sessions); }),
              "ID      STATUS   ROLE    TASKS   NAME\nsess_1  running  worker  task_1  w1\n");
    EXPECT_EQ(text([](TextOut& out) { render::sessionTable(out, json::parseArray("[]")); }),
              "No sessions.\n");
    auto session =
        json::parseObject(R"({"id":"sess_1","status":"running","pid":42,"exitCode":null})");
    auto detail = text([&session](TextOut& out) { render::sessionDetail(out, session); });
    EXPECT_NE(detail.find("pid:     42\n"), std::string::npos) << detail;
    EXPECT_EQ(detail.find("exit code"), std::string::npos);
}

TEST_F(OutputTest, JsonHelpersTolerateMissingValues) {
    auto object = json::parseObject(R"({"a":null,"b":3,"c":true,"d":[1,"x"],"e":{"f":"g"}})");
    EXPECT_EQ(json::text(object, "a"), "");
    EXPECT_EQ(json::text(object, "b"), "3");
    EXPECT_EQ(json::text(object, "c"), "true");
    EXPECT_EQ(json::text(object, "missing"), "");
    EXPECT_EQ(json::text(object, "e"), "");
    EXPECT_EQ(json::strings(object, "d"), std::vector<std::string>{"x"});
    EXPECT_EQ(json::integer(object, "b"), 3);
    EXPECT_FALSE(json::integer(object, "a"));
    EXPECT_EQ(json::text(json::object(object, "e"), "f"), "g");
    EXPECT_EQ(json::size(json::array(object, "missing")), 0u);
    EXPECT_EQ(json::formatTime(std::nullopt), "");
    EXPECT_EQ(json::formatTime(0), "");
    EXPECT_EQ(json::stringify(object), R"({"a":null,"b":3,"c":true,"d":[1,"x"],"e":{"f":"g"}})");
}

TEST_F(OutputTest, MalformedAnswersAreInternalErrors) {
    EXPECT_THROW(json::parseObject("[1]"), CliError);
    EXPECT_THROW(json::parseArray("{}"), CliError);
    try {
        json::parseObject("not json");
        FAIL();
    } catch (const CliError& e) {
        EXPECT_EQ(e.exitCode(), kExitInternal);
    }
}

TEST_F(OutputTest, DisplayWidthCountsCharacters) {
    EXPECT_EQ(displayWidth("abc"), 3u);
    EXPECT_EQ(displayWidth("héllo"), 5u);
    EXPECT_EQ(displayWidth("└── "), 4u);
}

} // namespace
} // namespace maestro::cli
