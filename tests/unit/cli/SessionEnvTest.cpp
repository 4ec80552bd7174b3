#include "SessionEnv.h"

#include <gtest/gtest.h>
#include <map>

namespace maestro::cli {
namespace {

TEST(SessionEnv, ReadsEveryVariable) {
    std::map<std::string, std::string> vars = {
        {"MAESTRO_API_URL", "http://127.0.0.1:4000"},
        {"MAESTRO_PROJECT_ID", "proj_1"},
        {"MAESTRO_SESSION_ID", "sess_1"},
        {"MAESTRO_TASK_ID", "task_1"},
        {"MAESTRO_TASK_IDS", "task_1, task_2 task_3"},
        {"MAESTRO_ROLE", "worker"},
        {"MAESTRO_SKILLS", "maestro-cli,maestro-worker"},
        {"MAESTRO_BRIEF_FILE", "/tmp/brief \"x\".md"},
        {"MAESTRO_PARENT_SESSION_ID", "sess_0"},
    };
    auto env = SessionEnv::fromEnvironment([&vars](const char* name) -> const char* {
        auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    });
    EXPECT_TRUE(env.inSession());
    EXPECT_EQ(env.taskIds, (std::vector<std::string>{"task_1", "task_2", "task_3"}));
    EXPECT_EQ(env.skills, (std::vector<std::string>{"maestro-cli", "maestro-worker"}));
    EXPECT_EQ(
        env.toJson(),
        R"({"apiUrl":"http://127.0.0.1:4000","projectId":"proj_1","sessionId":"sess_1","taskId":"task_1","taskIds":["task_1","task_2","task_3"],"role":"worker","skills":["maestro-cli","maestro-worker"],"briefFile":"/tmp/brief \"x\".md","parentSessionId":"sess_0"})");
}

TEST(SessionEnv, UnsetVariablesAreLeftOut) {
    auto env = SessionEnv::fromEnvironment([](const char*) -> const char* { return nullptr; });
    EXPECT_FALSE(env.inSession());
    EXPECT_EQ(env.toJson(), "{}");
}

TEST(SessionEnv, SplitsLists) {
    EXPECT_EQ(splitList(" a,,b\tc\n"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(splitList("").empty());
}

} // namespace
} // namespace maestro::cli
