/* Pins the layout of every published struct of maestro/skill_abi.h on LP64 (x86-64, arm64).
   Included from C11 (abi_layout_c11.c) and from C++20 (AbiLayoutTest.cpp): an accidental ABI
   change fails the build in both languages. Changing a number here is an ABI break. */
#ifndef MAESTRO_TEST_ABI_LAYOUT_H
#define MAESTRO_TEST_ABI_LAYOUT_H

#include <maestro/skill_abi.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define MAESTRO_LAYOUT_ASSERT(condition, message) static_assert(condition, message)
#else
#define MAESTRO_LAYOUT_ASSERT(condition, message) _Static_assert(condition, message)
#endif

#define MAESTRO_PIN_SIZE(type, size) MAESTRO_LAYOUT_ASSERT(sizeof(type) == (size), #type " size")
#define MAESTRO_PIN_FIELD(type, field, offset)                                                     \
    MAESTRO_LAYOUT_ASSERT(offsetof(type, field) == (offset), #type "." #field " offset")

#if UINTPTR_MAX == UINT64_MAX

MAESTRO_PIN_SIZE(maestro_abi_version, 8);
MAESTRO_PIN_FIELD(maestro_abi_version, major, 0);
MAESTRO_PIN_FIELD(maestro_abi_version, minor, 4);

MAESTRO_PIN_SIZE(maestro_writer, 24);
MAESTRO_PIN_FIELD(maestro_writer, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_writer, context, 8);
MAESTRO_PIN_FIELD(maestro_writer, write, 16);

MAESTRO_PIN_SIZE(maestro_error, 24);
MAESTRO_PIN_FIELD(maestro_error, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_error, context, 8);
MAESTRO_PIN_FIELD(maestro_error, set, 16);

MAESTRO_PIN_SIZE(maestro_host, 96);
MAESTRO_PIN_FIELD(maestro_host, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_host, abi, 8);
MAESTRO_PIN_FIELD(maestro_host, context, 16);
MAESTRO_PIN_FIELD(maestro_host, skill_id, 24);
MAESTRO_PIN_FIELD(maestro_host, skill_dir, 32);
MAESTRO_PIN_FIELD(maestro_host, get_interface, 40);
MAESTRO_PIN_FIELD(maestro_host, log, 48);
MAESTRO_PIN_FIELD(maestro_host, config, 56);
MAESTRO_PIN_FIELD(maestro_host, call_api, 64);
MAESTRO_PIN_FIELD(maestro_host, session_context, 72);
MAESTRO_PIN_FIELD(maestro_host, render_template, 80);
MAESTRO_PIN_FIELD(maestro_host, last_error, 88);

MAESTRO_PIN_SIZE(maestro_command_option, 40);
MAESTRO_PIN_FIELD(maestro_command_option, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_command_option, name, 8);
MAESTRO_PIN_FIELD(maestro_command_option, value_name, 16);
MAESTRO_PIN_FIELD(maestro_command_option, summary, 24);
MAESTRO_PIN_FIELD(maestro_command_option, flags, 32);

MAESTRO_PIN_SIZE(maestro_command, 64);
MAESTRO_PIN_FIELD(maestro_command, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_command, name, 8);
MAESTRO_PIN_FIELD(maestro_command, summary, 16);
MAESTRO_PIN_FIELD(maestro_command, options, 24);
MAESTRO_PIN_FIELD(maestro_command, option_count, 32);
MAESTRO_PIN_FIELD(maestro_command, user_data, 40);
MAESTRO_PIN_FIELD(maestro_command, run, 48);
MAESTRO_PIN_FIELD(maestro_command, destroy, 56);

MAESTRO_PIN_SIZE(maestro_template, 64);
MAESTRO_PIN_FIELD(maestro_template, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_template, id, 8);
MAESTRO_PIN_FIELD(maestro_template, roles, 16);
MAESTRO_PIN_FIELD(maestro_template, role_count, 24);
MAESTRO_PIN_FIELD(maestro_template, text, 32);
MAESTRO_PIN_FIELD(maestro_template, user_data, 40);
MAESTRO_PIN_FIELD(maestro_template, render, 48);
MAESTRO_PIN_FIELD(maestro_template, destroy, 56);

MAESTRO_PIN_SIZE(maestro_spawn_hook, 64);
MAESTRO_PIN_FIELD(maestro_spawn_hook, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_spawn_hook, id, 8);
MAESTRO_PIN_FIELD(maestro_spawn_hook, roles, 16);
MAESTRO_PIN_FIELD(maestro_spawn_hook, role_count, 24);
MAESTRO_PIN_FIELD(maestro_spawn_hook, order, 32);
MAESTRO_PIN_FIELD(maestro_spawn_hook, user_data, 40);
MAESTRO_PIN_FIELD(maestro_spawn_hook, run, 48);
MAESTRO_PIN_FIELD(maestro_spawn_hook, destroy, 56);

MAESTRO_PIN_SIZE(maestro_commands_interface, 16);
MAESTRO_PIN_FIELD(maestro_commands_interface, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_commands_interface, register_command, 8);
MAESTRO_PIN_SIZE(maestro_templates_interface, 16);
MAESTRO_PIN_FIELD(maestro_templates_interface, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_templates_interface, register_template, 8);
MAESTRO_PIN_SIZE(maestro_spawn_hooks_interface, 16);
MAESTRO_PIN_FIELD(maestro_spawn_hooks_interface, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_spawn_hooks_interface, register_spawn_hook, 8);

MAESTRO_PIN_SIZE(maestro_entry, 56);
MAESTRO_PIN_FIELD(maestro_entry, struct_size, 0);
MAESTRO_PIN_FIELD(maestro_entry, abi, 8);
MAESTRO_PIN_FIELD(maestro_entry, id, 16);
MAESTRO_PIN_FIELD(maestro_entry, version, 24);
MAESTRO_PIN_FIELD(maestro_entry, init, 32);
MAESTRO_PIN_FIELD(maestro_entry, deinit, 40);
MAESTRO_PIN_FIELD(maestro_entry, get_interface, 48);

#endif /* LP64 */

MAESTRO_LAYOUT_ASSERT(MAESTRO_ABI_MAJOR == 1 && MAESTRO_ABI_MINOR == 0, "ABI version moved");

/* Every published struct, for code that walks them all (X-macro). */
#define MAESTRO_ABI_STRUCTS(X)                                                                     \
    X(maestro_abi_version)                                                                         \
    X(maestro_writer)                                                                              \
    X(maestro_error)                                                                               \
    X(maestro_host)                                                                                \
    X(maestro_command_option)                                                                      \
    X(maestro_command)                                                                             \
    X(maestro_template)                                                                            \
    X(maestro_spawn_hook)                                                                          \
    X(maestro_commands_interface)                                                                  \
    X(maestro_templates_interface)                                                                 \
    X(maestro_spawn_hooks_interface)                                                               \
    X(maestro_entry)
#define MAESTRO_ABI_SIZEOF(type) sizeof(type),
#define MAESTRO_ABI_STRUCT_COUNT 12

#ifdef __cplusplus
extern "C" {
#endif
/* Implemented in C (abi_layout_c11.c): the sizes of every struct as the C compiler sees them,
   in MAESTRO_ABI_STRUCTS order. Returns how many there are. */
size_t maestro_test_c_struct_sizes(size_t* sizes, size_t capacity);
#ifdef __cplusplus
}
#endif

#endif /* MAESTRO_TEST_ABI_LAYOUT_H */
