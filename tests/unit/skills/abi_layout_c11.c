/* The ABI header compiled as C11 (-std=c11 -pedantic-errors), with the layout pins. */
#include "abi_layout.h"

size_t maestro_test_c_struct_sizes(size_t* sizes, size_t capacity) {
    const size_t all[] = {
        sizeof(maestro_abi_version),
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
        sizeof(maestro_entry),
    };
    const size_t count = sizeof all / sizeof all[0];
    size_t i;
    for (i = 0; i < count && i < capacity; ++i)
        sizes[i] = all[i];
    return count;
}
