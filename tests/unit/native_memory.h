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
 * struct vidmm_memory_ops for the native unit tests, on mmap.
 *
 * Reserve maps PROT_NONE address space, commit makes pages read/write and
 * zero (only pages not committed yet, as MEM_COMMIT does), decommit drops
 * them, release unmaps.  The object tracks every reservation and committed
 * page so tests can check for leaks, can make the Nth reserve, commit or move fail,
 * and counts misuse by the manager (double commit, unknown release...).
 * check_user_range accepts only ranges the test registered.  Thread-safe.
 */
#ifndef NATIVE_MEMORY_H
#define NATIVE_MEMORY_H

#include <stdint.h>
#include "private/vidmm.h"

struct native_memory;

struct native_memory_counters
{
    long reservations;           /* live reservations */
    uint64_t reserved_bytes;     /* address space of live reservations */
    uint64_t committed_bytes;    /* committed pages of live reservations */
    unsigned long reserve_calls, commit_calls, decommit_calls, release_calls;
    unsigned long reset_calls, move_calls;
    unsigned long injected_failures;
    /* The manager misused the ops: commit of committed pages, decommit of
     * uncommitted ones, release of an unknown address or with another size,
     * a range outside any reservation.  Should always be 0. */
    unsigned long errors;
};

struct native_memory *native_memory_create(void);
/* Unmaps whatever is left (reservations and user ranges) and frees it. */
void native_memory_destroy(struct native_memory *nm);
void native_memory_ops(struct native_memory *nm, struct vidmm_memory_ops *ops);
void native_memory_get_counters(struct native_memory *nm, struct native_memory_counters *counters);

/* The call after the next `count` reserves (commits) fails, and every later
 * one while `sticky`; a negative count turns failures off. */
void native_memory_fail_reserve_after(struct native_memory *nm, long count, int sticky);
void native_memory_fail_commit_after(struct native_memory *nm, long count, int sticky);

/* The call after the next `count` moves fails (once); negative: off. */
void native_memory_fail_move_after(struct native_memory *nm, long count);
/* What the move op does: mremap src over dst, fresh zero pages at src; 0 or -1. */
int native_move_pages(void *dst, void *src, uint64_t size);

/* Called at the start of every reserve, outside the object's lock (so it may
 * call back into the manager); NULL removes it. */
typedef void (*native_memory_hook)(void *arg, uint64_t size);
void native_memory_set_reserve_hook(struct native_memory *nm, native_memory_hook hook, void *arg);

/* Called at the start of every prefault and move (the pager's copies of
 * 64 KiB and more), outside the object's lock; NULL removes it. */
void native_memory_set_page_hook(struct native_memory *nm, native_memory_hook hook, void *arg);

/* Size and base of the live reservation holding addr, 0 / NULL if none. */
uint64_t native_memory_reservation_size(struct native_memory *nm, const void *addr);
void *native_memory_reservation_base(struct native_memory *nm, const void *addr);
/* The index-th live reservation, oldest first; NULL past the end. */
void *native_memory_reservation(struct native_memory *nm, unsigned int index, uint64_t *size);
/* 1 when [addr, addr + size) is committed memory of one reservation. */
int native_memory_is_committed(struct native_memory *nm, const void *addr, uint64_t size);

/* Caller memory for pSystemMem: mapped read/write and registered, so
 * check_user_range accepts it (and any sub-range). */
void *native_memory_user_alloc(struct native_memory *nm, uint64_t size);
void native_memory_user_free(struct native_memory *nm, void *addr);

#endif
