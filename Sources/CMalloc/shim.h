// glibc's malloc tuning, which Swift's Glibc module does not import (malloc.h).
#ifndef EVALGATE_CMALLOC_SHIM_H
#define EVALGATE_CMALLOC_SHIM_H

#include <malloc.h>

/// Fixes glibc's trim threshold at its default (128 KiB), which also stops the mmap threshold from growing: freed
/// large blocks go back to the system instead of staying in the heap. Returns mallopt's result (1 on success).
static inline int evalgate_keep_freed_memory_returned(void) {
    return mallopt(M_TRIM_THRESHOLD, 128 * 1024);
}

#endif
