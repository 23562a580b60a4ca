// For posix_spawn_file_actions_addclosefrom_np.
#define _GNU_SOURCE
#include "perfkit_system.h"

#include <errno.h>

// Any C library header defines __GLIBC__ on glibc; stddef.h comes from the compiler.
#include <stdlib.h>

// Defined only when a sanitizer's runtime is linked, and then malloc is the sanitizer's own.
void __tsan_init(void) __attribute__((weak));
void __asan_init(void) __attribute__((weak));

int perfkit_malloc_is_replaced_by_sanitizer(void) {
    return __tsan_init != NULL || __asan_init != NULL;
}

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>

int perfkit_read_heap_statistics(perfkit_heap_statistics *statistics) {
    if (perfkit_malloc_is_replaced_by_sanitizer()) {
        return 0;
    }
    struct mallinfo2 info = mallinfo2();
    statistics->arena = info.arena;
    statistics->free = info.fordblks;
    statistics->in_use = info.uordblks;
    statistics->mmapped = info.hblkhd;
    return 1;
}
#else
int perfkit_read_heap_statistics(perfkit_heap_statistics *statistics) {
    (void)statistics;
    return 0;
}
#endif

#if defined(__GLIBC__)
#include <malloc.h>

int perfkit_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}
#else
int perfkit_limit_malloc_arenas(int count) {
    (void)count;
    return 0;
}
#endif

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
int perfkit_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
#else
int perfkit_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    (void)actions;
    (void)lowest;
    return ENOSYS;
}
#endif
