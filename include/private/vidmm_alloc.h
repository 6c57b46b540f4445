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
