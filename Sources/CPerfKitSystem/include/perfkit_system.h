#ifndef PERFKIT_SYSTEM_H
#define PERFKIT_SYSTEM_H

#include <stddef.h>
#include <spawn.h>

/// The heap figures of glibc's mallinfo2(), in bytes.
typedef struct {
    size_t arena;     ///< bytes obtained from the system by the arenas (sbrk and arena mmaps)
    size_t free;      ///< bytes free inside the arenas (fordblks)
    size_t in_use;    ///< bytes allocated from the arenas (uordblks)
    size_t mmapped;   ///< bytes of blocks allocated with their own mmap (hblkhd)
} perfkit_heap_statistics;

/// Fills `statistics` from mallinfo2() and returns 1, or returns 0 where the C library has no
/// mallinfo2 (not glibc, or glibc older than 2.33) or where a sanitizer replaced malloc, so that
/// glibc's figures would not count the process's allocations.
int perfkit_read_heap_statistics(perfkit_heap_statistics *statistics);

/// Caps glibc's malloc arenas at `count` (mallopt M_ARENA_MAX) and returns 1, or returns 0 where
/// the C library is not glibc or refuses.
int perfkit_limit_malloc_arenas(int count);

/// Adds to `actions` the closing of every descriptor from `lowest` on (glibc 2.34's
/// posix_spawn_file_actions_addclosefrom_np) and returns 0, or returns ENOSYS where the C library
/// has no such action; the caller then relies on close-on-exec.
int perfkit_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// 1 when a sanitizer's runtime (ThreadSanitizer, AddressSanitizer) is linked and malloc is its own.
int perfkit_malloc_is_replaced_by_sanitizer(void);

// ThreadSanitizer's happens-before annotations, defined only when its runtime is linked (weak, so a
// normal build links without them and the calls below do nothing).
void __tsan_acquire(void *address) __attribute__((weak));
void __tsan_release(void *address) __attribute__((weak));

/// Tells ThreadSanitizer, when it runs, that this thread now sees everything released at `address`.
static inline void perfkit_sanitizer_acquire(void *address) {
    if (__tsan_acquire) {
        __tsan_acquire(address);
    }
}

/// Tells ThreadSanitizer, when it runs, that what this thread did is released at `address`.
static inline void perfkit_sanitizer_release(void *address) {
    if (__tsan_release) {
        __tsan_release(address);
    }
}

#endif
