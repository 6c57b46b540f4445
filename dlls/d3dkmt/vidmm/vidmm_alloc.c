/*
 * Copyright 2026 the wine-d3dkmt authors
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  It is distributed WITHOUT ANY WARRANTY;
 * see COPYING.LIB.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Heap allocation; with failure injection in the test build only (see vidmm_alloc.h).
 */
#if 0
#pragma makedep unix
#endif
#include <stdatomic.h>
#include <stdlib.h>

#include "private/vidmm_alloc.h"

#ifdef VIDMM_TEST

/* < 0: never fail.  Otherwise the number of allocations still allowed. */
static atomic_long fail_countdown = -1;
static atomic_int fail_sticky;

static int should_fail(void)
{
    long left = atomic_load(&fail_countdown);

    while (left >= 0)
    {
        if (left == 0)
        {
            if (!atomic_load(&fail_sticky)) atomic_store(&fail_countdown, -1);
            return 1;
        }
        if (atomic_compare_exchange_weak(&fail_countdown, &left, left - 1)) return 0;
    }
    return 0;
}

void vidmm_alloc_fail_after(long count, int sticky)
{
    atomic_store(&fail_sticky, sticky);
    atomic_store(&fail_countdown, count < 0 ? -1 : count);
}

#else
static inline int should_fail(void) { return 0; }
#endif

void *vidmm_malloc(size_t size)
{
    return should_fail() ? NULL : malloc(size ? size : 1);
}

void *vidmm_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *vidmm_realloc(void *ptr, size_t size)
{
    return should_fail() ? NULL : realloc(ptr, size ? size : 1);
}

void vidmm_free(void *ptr)
{
    free(ptr);
}
