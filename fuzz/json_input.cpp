// Fuzz target: request bodies as the API reads them — JSON text parsed into one object
// (domain/JsonInput), then every parser of a request body over it. A body is either accepted
// or refused with a 4xx ApiError; an accepted task draft also goes through the JSON the API
// renders and stores, and must come back the same.
#include "domain/ApiError.h"
#include "domain/JsonInput.h"
#include "domain/Project.h"
#include "domain/Session.h"
#include "domain/Task.h"
#include "domain/Timeline.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string_view>

using namespace maestro::domain;

namespace {

// Runs one parser: it may refuse the body, with a client error, and nothing else.
void parse(const std::function<void()>& parser) {
    try {
        parser();
    } catch (const ApiError& e) {
        if (e.status() < 400 || e.status() >= 500) std::abort();
    }
}

constexpr std::int64_t kNow = 1700000000000;

// What is stored is read back as the same task.
void readsBack(const Task& task) {
    auto json = toJson(task);
    if (toJson(taskFromJson(json)) != json) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<JsonInput> body;
    parse([&] { body.emplace(JsonInput::parseObject(text)); });
    if (!body) return 0;
    parse([&] {
        auto task = makeTask(parseTaskDraft(*body, DraftKind::Task), 1, kNow);
        readsBack(task);
        applyPatch(task, parseTaskPatch(*body), kNow + 1);
        readsBack(task);
    });
    parse([&] { parseTaskDraft(*body, DraftKind::Subtask); });
    parse([&] { parseTaskPatch(*body); });
    parse([&] { parseProjectDraft(*body); });
    parse([&] { parseProjectPatch(*body); });
    parse([&] { parseSessionDraft(*body); });
    parse([&] { parseSessionPatch(*body); });
    parse([&] { parseSpawnRequest(*body); });
    parse([&] { parseTimelineDraft(*body); });
    return 0;
}
