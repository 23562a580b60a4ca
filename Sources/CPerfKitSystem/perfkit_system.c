#include "perfkit_system.h"

// Any C library header defines __GLIBC__ on glibc; stddef.h comes from the compiler.
#include <stdlib.h>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>

int perfkit_read_heap_statistics(perfkit_heap_statistics *statistics) {
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
