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
 * Heap allocation for the video memory manager's own bookkeeping.
 *
 * Every allocation the manager makes goes through these, so that the unit
 * tests can make the Nth one fail and check each out-of-memory path; the
 * product's build of the core (without VIDMM_TEST) has no such hook.
 */
#ifndef VIDMM_ALLOC_H
#define VIDMM_ALLOC_H

#include <stddef.h>

void *vidmm_malloc(size_t size);
void *vidmm_calloc(size_t count, size_t size);
void *vidmm_realloc(void *ptr, size_t size);
void vidmm_free(void *ptr);

#ifdef VIDMM_TEST
/* Test hook: the allocation after the next `count` ones fails (and every
 * later one while `sticky`); a negative count turns failures off. */
void vidmm_alloc_fail_after(long count, int sticky);
#endif

#endif
