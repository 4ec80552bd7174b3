// The ABI header compiled as C++20, with the same layout pins as the C11 translation unit.
#include "abi_layout.h"

#include <array>
#include <gtest/gtest.h>
#include <maestro/skill.hpp>
#include <type_traits>

namespace {

// Every published struct must stay a C struct: trivially copyable, standard layout.
template <class... Ts>
constexpr bool allPlainC = (... &&
                            (std::is_standard_layout_v<Ts> && std::is_trivially_copyable_v<Ts>));
static_assert(allPlainC<maestro_abi_version, maestro_writer, maestro_error, maestro_host,
                        maestro_command_option, maestro_command, maestro_template,
                        maestro_spawn_hook, maestro_commands_interface, maestro_templates_interface,
                        maestro_spawn_hooks_interface, maestro_entry>);

TEST(AbiLayout, CAndCppAgreeOnEveryStructSize) {
    const std::array<std::size_t, 12> cpp{sizeof(maestro_abi_version),
                                          sizeof(maestro_writer),
                                          sizeof(maestro_error),
                                          sizeof(maestro_host),
                                          sizeof(maestro_command_option),
                                          sizeof(maestro_command),
                                          sizeof(maestro_template),
                                          sizeof(maestro_spawn_hook),
                                          sizeof(maestro_commands_interface),
                                          sizeof(maestro_templates_interface),
                                          sizeof(maestro_spawn_hooks_interface),
                                          sizeof(maestro_entry)};
    std::array<std::size_t, 12> c{};
    ASSERT_EQ(maestro_test_c_struct_sizes(c.data(), c.size()), c.size());
    EXPECT_EQ(c, cpp);
}

TEST(AbiLayout, HelperEntryIsConstantData) {
    struct Nothing {
        Nothing(const maestro::skill::Host&, maestro::skill::Registrar&) {}
    };
    constexpr maestro_entry entry = maestro::skill::makeEntry<Nothing>("nothing", "0.1.0");
    static_assert(entry.struct_size == sizeof(maestro_entry));
    static_assert(entry.abi.major == MAESTRO_ABI_MAJOR && entry.abi.minor == MAESTRO_ABI_MINOR);
    EXPECT_STREQ(entry.id, "nothing");
}

} // namespace
