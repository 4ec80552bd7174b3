// skill.hpp in-process, against a fake host table: every trampoline contains exceptions.
#include <gtest/gtest.h>
#include <maestro/skill.hpp>
#include <string>
#include <vector>

namespace {

using namespace maestro::skill;

// A minimal host: keeps the last descriptor of each kind and can refuse registrations.
struct FakeHost {
    maestro_host table{};
    maestro_command command{};
    maestro_spawn_hook hook{};
    std::int32_t refuseWith = MAESTRO_OK;
    std::vector<void*> owned;
};

FakeHost* gHost = nullptr;

std::int32_t registerCommand(const maestro_host*, const maestro_command* command) {
    if (gHost->refuseWith != MAESTRO_OK) return gHost->refuseWith;
    gHost->command = *command;
    return MAESTRO_OK;
}
std::int32_t registerHook(const maestro_host*, const maestro_spawn_hook* hook) {
    gHost->hook = *hook;
    return MAESTRO_OK;
}
const maestro_commands_interface kCommands{sizeof(maestro_commands_interface), &registerCommand};
const maestro_spawn_hooks_interface kHooks{sizeof(maestro_spawn_hooks_interface), &registerHook};

const void* getInterface(const maestro_host*, const char* id) {
    if (std::string(id) == MAESTRO_COMMANDS_INTERFACE) return &kCommands;
    if (std::string(id) == MAESTRO_SPAWN_HOOKS_INTERFACE) return &kHooks;
    return nullptr;
}
const char* lastError(const maestro_host*) {
    return "command path taken";
}

struct Captured {
    std::int32_t code = MAESTRO_OK;
    std::string message;
};
void setError(maestro_error* error, std::int32_t code, const char* message) {
    auto* captured = static_cast<Captured*>(error->context);
    captured->code = code;
    captured->message = message;
}

std::int32_t appendTo(const maestro_writer* writer, const char* data, std::size_t size) {
    static_cast<std::string*>(writer->context)->append(data, size);
    return MAESTRO_OK;
}

class SkillHelperTest : public ::testing::Test {
protected:
    SkillHelperTest() {
        host_.table.struct_size = sizeof(maestro_host);
        host_.table.get_interface = &getInterface;
        host_.table.last_error = &lastError;
        errorSlot_ = {sizeof(maestro_error), &captured_, &setError};
        gHost = &host_;
    }
    ~SkillHelperTest() override { gHost = nullptr; }

    template <class Skill> std::int32_t init() {
        entry_ = makeEntry<Skill>("test", "1.0.0");
        return entry_.init(&host_.table, &errorSlot_);
    }
    void deinit() { entry_.deinit(); }

    maestro_writer writer(std::string& into) { return {sizeof(maestro_writer), &into, &appendTo}; }

    FakeHost host_;
    Captured captured_;
    maestro_error errorSlot_{};
    maestro_entry entry_{};
};

struct ThrowsInConstructor {
    ThrowsInConstructor(const Host&, Registrar&) { throw std::runtime_error("not today"); }
};

struct ThrowsChosenCode {
    ThrowsChosenCode(const Host&, Registrar&) { throw Error(MAESTRO_ERR_NOT_FOUND, "no config"); }
};

struct RegistersThrowingCommand {
    RegistersThrowingCommand(const Host&, Registrar& registrar) {
        registrar.command("x run", "", {}, [](const CommandCall&) -> int { throw 42; });
        registrar.spawnHook("h", {"*"}, 0, [](std::string_view plan) {
            if (plan == "veto") return HookResult::veto("nope");
            if (plan == "throw") throw std::logic_error("bad plan");
            return HookResult::patch(R"({"cwd":"/x"})");
        });
    }
};

TEST_F(SkillHelperTest, ConstructorExceptionBecomesInitError) {
    EXPECT_EQ(init<ThrowsInConstructor>(), MAESTRO_ERR_EXCEPTION);
    EXPECT_EQ(captured_.message, "not today");
}

TEST_F(SkillHelperTest, ErrorExceptionChoosesTheCode) {
    EXPECT_EQ(init<ThrowsChosenCode>(), MAESTRO_ERR_NOT_FOUND);
    EXPECT_EQ(captured_.message, "no config");
}

TEST_F(SkillHelperTest, RefusedRegistrationFailsInitWithHostMessage) {
    host_.refuseWith = MAESTRO_ERR_ALREADY_EXISTS;
    EXPECT_EQ(init<RegistersThrowingCommand>(), MAESTRO_ERR_ALREADY_EXISTS);
    EXPECT_EQ(captured_.message, "command path taken");
}

TEST_F(SkillHelperTest, CommandTrampolineContainsAnyException) {
    ASSERT_EQ(init<RegistersThrowingCommand>(), MAESTRO_OK);
    std::string out;
    std::string err;
    const maestro_writer outWriter = writer(out);
    const maestro_writer errWriter = writer(err);
    const char* argv[] = {nullptr};
    const auto& command = host_.command;
    EXPECT_EQ(command.run(command.user_data, 0, argv, &outWriter, &errWriter, "{}"), 70);
    EXPECT_EQ(err, "error: unknown exception\n");
    command.destroy(command.user_data);
    host_.hook.destroy(host_.hook.user_data);
    deinit();
}

TEST_F(SkillHelperTest, HookTrampolineReportsPatchVetoAndException) {
    ASSERT_EQ(init<RegistersThrowingCommand>(), MAESTRO_OK);
    const auto& hook = host_.hook;
    std::string patch;
    const maestro_writer patchWriter = writer(patch);
    EXPECT_EQ(hook.run(hook.user_data, "{}", &patchWriter, &errorSlot_), MAESTRO_OK);
    EXPECT_EQ(patch, R"({"cwd":"/x"})");
    EXPECT_EQ(hook.run(hook.user_data, "veto", &patchWriter, &errorSlot_), MAESTRO_ERR_VETO);
    EXPECT_EQ(captured_.message, "nope");
    EXPECT_EQ(hook.run(hook.user_data, "throw", &patchWriter, &errorSlot_), MAESTRO_ERR_EXCEPTION);
    EXPECT_EQ(captured_.message, "bad plan");
    host_.command.destroy(host_.command.user_data);
    hook.destroy(hook.user_data);
    deinit();
}

} // namespace
