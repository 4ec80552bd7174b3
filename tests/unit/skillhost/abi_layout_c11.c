/* The ABI header compiled as C11 (-std=c11 -pedantic-errors), with the layout pins. */
#include "abi_layout.h"

size_t maestro_test_c_struct_sizes(size_t* sizes, size_t capacity) {
    const size_t all[] = {MAESTRO_ABI_STRUCTS(MAESTRO_ABI_SIZEOF)};
    const size_t count = sizeof all / sizeof all[0];
    size_t i;
    for (i = 0; i < count && i < capacity; ++i)
        sizes[i] = all[i];
    return count;
}
