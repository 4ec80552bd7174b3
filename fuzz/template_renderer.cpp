// Fuzz target: the prompt-template renderer (skillhost/TemplateRenderer) — a template and the
// JSON context it is rendered with, split at the first NUL byte. A template is rendered or
// refused with a SkillError; nothing else.
#include "skillhost/SkillError.h"
#include "skillhost/TemplateRenderer.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace maestro::skillhost;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto split = input.find('\0');
    const auto text = input.substr(0, split);
    const auto context =
        split == std::string_view::npos ? std::string_view{} : input.substr(split + 1);
    try {
        renderTemplate(text, context);
    } catch (const SkillError&) {
    }
    return 0;
}
