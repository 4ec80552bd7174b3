// Client mistakes get a 4xx in the one error shape and change nothing.
#include "TestServer.h"

#include <gtest/gtest.h>

using namespace maestro::test;

namespace {

struct BadRequest {
    std::string name;
    std::string method;
    std::string path; // {p} = a project id, {t} = a task id
    std::string body;
    Headers headers;
    int status;
    std::string code; // empty: any code
};

std::string fill(std::string text, const std::string& project, const std::string& task) {
    for (auto [key, value] :
         {std::pair{std::string("{p}"), project}, std::pair{std::string("{t}"), task}})
        for (auto at = text.find(key); at != std::string::npos; at = text.find(key))
            text.replace(at, key.size(), value);
    return text;
}

} // namespace

TEST(BadInput, EveryCaseGetsTheErrorShapeAndWritesNothing) {
    TestServer server;
    auto http = server.client();
    auto project = http.createProject();
    auto task = http.createTask(project);
    auto before = http.get("/api/tasks/" + task).body;
    auto lastSeq = http.get("/api/events?limit=1").header("X-Last-Seq");

    const std::vector<BadRequest> cases = {
        {"malformed JSON", "POST", "/api/projects", "{bad", {}, 400, "invalid_json"},
        {"array body", "POST", "/api/projects", "[1]", {}, 400, "invalid_json"},
        {"null body", "PATCH", "/api/tasks/{t}", "null", {}, 400, "invalid_json"},
        {"empty body", "POST", "/api/tasks", "", {}, 400, "invalid_json"},
        {"too deep",
         "POST",
         "/api/projects",
         std::string(500, '[') + std::string(500, ']'),
         {},
         400,
         "invalid_json"},
        {"not UTF-8", "POST", "/api/projects", "{\"name\":\"\xc3\x28\"}", {}, 400, "invalid_json"},
        {"missing name", "POST", "/api/projects", "{}", {}, 400, "validation_error"},
        {"wrong type", "POST", "/api/projects", R"({"name":5})", {}, 400, "validation_error"},
        {"missing title",
         "POST",
         "/api/tasks",
         R"({"projectId":"{p}"})",
         {},
         400,
         "validation_error"},
        {"blank title",
         "PATCH",
         "/api/tasks/{t}",
         R"({"title":"   "})",
         {},
         400,
         "validation_error"},
        {"long title",
         "PATCH",
         "/api/tasks/{t}",
         R"({"title":")" + std::string(600, 'x') + R"("})",
         {},
         413,
         "field_too_large"},
        {"timeline message over 16 KiB",
         "POST",
         "/api/tasks/{t}/timeline",
         R"({"message":")" + std::string(16 * 1024 + 1, 'x') + R"("})",
         {},
         413,
         "field_too_large"},
        {"too many timeline entries in one PATCH",
         "PATCH",
         "/api/tasks/{t}",
         R"({"timeline":[)" +
             [] {
                 std::string entries;
                 for (int i = 0; i < 101; ++i)
                     entries += std::string(i ? "," : "") + R"({"message":"m"})";
                 return entries;
             }() +
             "]}",
         {},
         413,
         "field_too_large"},
        {"unknown priority",
         "POST",
         "/api/tasks",
         R"({"projectId":"{p}","title":"x","priority":"urgent"})",
         {},
         400,
         "validation_error"},
        {"unknown status",
         "PATCH",
         "/api/tasks/{t}",
         R"({"status":"done"})",
         {},
         400,
         "validation_error"},
        {"blocked with a blank reason",
         "PATCH",
         "/api/tasks/{t}",
         R"({"status":"blocked","blockedReason":"  "})",
         {},
         400,
         "blocked_reason_required"},
        {"reason without block",
         "PATCH",
         "/api/tasks/{t}",
         R"({"blockedReason":"x"})",
         {},
         400,
         "validation_error"},
        {"order not integer",
         "PATCH",
         "/api/tasks/{t}",
         R"({"order":"first"})",
         {},
         400,
         "validation_error"},
        {"completed not bool",
         "PATCH",
         "/api/tasks/{t}",
         R"({"completed":"yes"})",
         {},
         400,
         "validation_error"},
        {"dependencies not array",
         "POST",
         "/api/tasks",
         R"({"projectId":"{p}","title":"x","dependencies":"a"})",
         {},
         400,
         "validation_error"},
        {"unknown dependency",
         "POST",
         "/api/tasks",
         R"({"projectId":"{p}","title":"x","dependencies":["task_nope"]})",
         {},
         400,
         "validation_error"},
        {"self dependency",
         "PATCH",
         "/api/tasks/{t}",
         R"({"dependencies":["{t}"]})",
         {},
         400,
         "validation_error"},
        {"reparenting",
         "PATCH",
         "/api/tasks/{t}",
         R"({"parentId":null})",
         {},
         400,
         "immutable_field"},
        {"unknown project",
         "POST",
         "/api/tasks",
         R"({"projectId":"proj_nope","title":"x"})",
         {},
         404,
         "project_not_found"},
        {"unknown parent",
         "POST",
         "/api/tasks",
         R"({"projectId":"{p}","title":"x","parentId":"task_nope"})",
         {},
         404,
         "task_not_found"},
        {"unknown task",
         "PATCH",
         "/api/tasks/task_nope",
         R"({"title":"x"})",
         {},
         404,
         "task_not_found"},
        {"unknown subtask",
         "PATCH",
         "/api/tasks/{t}/subtasks/task_nope",
         R"({"title":"x"})",
         {},
         404,
         "subtask_not_found"},
        {"malformed id", "GET", "/api/tasks/bad%20id", "", {}, 404, "task_not_found"},
        {"bad timeline type",
         "POST",
         "/api/tasks/{t}/timeline",
         R"({"type":"gossip","message":"x"})",
         {},
         400,
         "validation_error"},
        {"timeline without message",
         "POST",
         "/api/tasks/{t}/timeline",
         R"({"type":"update"})",
         {},
         400,
         "validation_error"},
        {"reorder not array",
         "POST",
         "/api/tasks/{t}/subtasks/reorder",
         R"({"order":"x"})",
         {},
         400,
         "validation_error"},
        {"bad status filter", "GET", "/api/tasks?status=bogus", "", {}, 400, "invalid_query"},
        {"negative limit", "GET", "/api/tasks?limit=-1", "", {}, 400, "invalid_query"},
        {"non-numeric offset", "GET", "/api/tasks?offset=abc", "", {}, 400, "invalid_query"},
        {"bad since", "GET", "/api/events?since=x", "", {}, 400, "invalid_query"},
        {"after with offset",
         "GET",
         "/api/tasks?projectId={p}&after={t}&offset=1",
         "",
         {},
         400,
         "invalid_query"},
        {"after naming no task",
         "GET",
         "/api/tasks?projectId={p}&after=task_gone",
         "",
         {},
         400,
         "invalid_query"},
        {"after on a list that pages by offset",
         "GET",
         "/api/projects?after={p}",
         "",
         {},
         400,
         "invalid_query"},
        {"timeline before naming no entry",
         "GET",
         "/api/tasks/{t}/timeline?before=evt_nope",
         "",
         {},
         400,
         "invalid_query"},
        {"timeline with offset",
         "GET",
         "/api/tasks/{t}/timeline?offset=5",
         "",
         {},
         400,
         "invalid_query"},
        {"bad If-Match",
         "PATCH",
         "/api/tasks/{t}",
         R"({"title":"x"})",
         {{"If-Match", "abc"}},
         400,
         "invalid_if_match"},
        {"bad Idempotency-Key",
         "POST",
         "/api/projects",
         R"({"name":"x"})",
         {{"Idempotency-Key", std::string(300, 'k')}},
         400,
         "invalid_idempotency_key"},
        {"oversized body",
         "POST",
         "/api/projects",
         R"({"name":")" + std::string(1100000, 'x') + R"("})",
         {},
         413,
         "payload_too_large"},
        {"wrong method", "DELETE", "/api/projects", "", {}, 405, "method_not_allowed"},
        {"unknown route", "GET", "/api/nothing", "", {}, 404, "route_not_found"},
        {"unknown api root", "POST", "/api", "{}", {}, 404, "route_not_found"},
    };

    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto client = server.client(); // a fresh connection: some errors close the old one
        auto result = client.request(c.method, fill(c.path, project, task),
                                     fill(c.body, project, task), c.headers);
        EXPECT_EQ(result.status, c.status) << result.body;
        Poco::JSON::Object::Ptr error;
        ASSERT_NO_THROW(error = result.object()) << result.body;
        EXPECT_TRUE(error->getValue<bool>("error"));
        EXPECT_EQ(error->getValue<int>("statusCode"), c.status);
        if (!c.code.empty()) {
            EXPECT_EQ(error->getValue<std::string>("code"), c.code);
        }
        EXPECT_FALSE(error->getValue<std::string>("message").empty());
        EXPECT_TRUE(error->isObject("details"));
    }

    EXPECT_EQ(http.get("/api/tasks/" + task).body, before) << "the task must be untouched";
    EXPECT_EQ(http.get("/api/events?limit=1").header("X-Last-Seq"), lastSeq)
        << "no event means no write";
    EXPECT_EQ(http.get("/api/tasks?projectId=" + project).header("X-Total-Count"), "1");
    EXPECT_EQ(http.get("/health").status, 200) << "the server keeps serving";
}
