// The ABI header compiled as C++20, with the same layout pins as the C11 translation unit.
#include "abi_layout.h"

#include <array>
#include <gtest/gtest.h>
#include <maestro/skill.hpp>
#include <sysexits.h>
#include <type_traits>

namespace {

// Every published struct must stay a C struct: trivially copyable, standard layout.
#define MAESTRO_ABI_PLAIN_C(type)                                                                  \
    static_assert(std::is_standard_layout_v<type> && std::is_trivially_copyable_v<type>);
MAESTRO_ABI_STRUCTS(MAESTRO_ABI_PLAIN_C)

TEST(AbiLayout, CAndCppAgreeOnEveryStructSize) {
    const std::array<std::size_t, MAESTRO_ABI_STRUCT_COUNT> cpp{
        MAESTRO_ABI_STRUCTS(MAESTRO_ABI_SIZEOF)};
    std::array<std::size_t, MAESTRO_ABI_STRUCT_COUNT> c{};
    ASSERT_EQ(maestro_test_c_struct_sizes(c.data(), c.size()), c.size());
    EXPECT_EQ(c, cpp);
}

// The exit codes are a published contract (docs/cli.md): the sysexits.h values, whatever name
// a caller uses for them.
TEST(AbiLayout, ExitCodesAreTheSysexitsValues) {
    EXPECT_EQ(MAESTRO_EXIT_OK, EX_OK);
    EXPECT_EQ(MAESTRO_EXIT_USAGE, EX_USAGE);
    EXPECT_EQ(MAESTRO_EXIT_REFUSED, EX_DATAERR);
    EXPECT_EQ(MAESTRO_EXIT_UNAVAILABLE, EX_UNAVAILABLE);
    EXPECT_EQ(MAESTRO_EXIT_INTERNAL, EX_SOFTWARE);
    EXPECT_EQ(maestro::skill::kExitUnavailable, MAESTRO_EXIT_UNAVAILABLE);
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
