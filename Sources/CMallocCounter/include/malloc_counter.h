#ifndef TAPEDECK_MALLOC_COUNTER_H
#define TAPEDECK_MALLOC_COUNTER_H
#include <stddef.h>

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by
/// the whole process since it started. Linked only into the benchmark, whose executable then
/// interposes these functions in front of glibc's.
size_t tapedeck_allocation_count(void);

#endif
