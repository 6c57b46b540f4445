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
 * CPU access: Lock, Lock2, Unlock, Unlock2.
 *
 * Locks nest and share one count per allocation; every nested lock returns
 * the same address.  A locked allocation never moves, so the address stays
 * valid until the last unlock.
 *
 * The common case (resident, CPU-visible, nothing paging) writes only the
 * allocation's own memory and its handle's table stripe: the lookup takes a
 * reference on the allocation alone (not on the device, whose cache line
 * every thread using the device would then write), then the allocation's
 * lock.  No GPU lock: the use is recorded with alloc_mark_used for victim
 * choice.  Only a lock that must wait or evict takes gpu->lock.
 *
 * Cheaper still, a lock or unlock that needs nothing of the manager runs on
 * the PE side without a Unix call (vidmm_fastlock.h): a successful call here
 * arms the allocation's slot when fastlock_arm_if_idle finds it idle, and
 * every other use of alloc->lock in the manager (alloc_lock) disarms it first.
 */
#if 0
#pragma makedep unix
#endif
#include <stdlib.h>
#include <string.h>

#include "vidmm_private.h"

static NTSTATUS check_lock_flags(const struct vidmm_lock_args *args)
{
    uint32_t flags = args->flags;

    if (args->lock2) return flags ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;  /* no Lock2 flags exist */
    if (flags & ~VIDMM_LOCK_FLAGS_VALID) return STATUS_INVALID_PARAMETER;
    if ((flags & VIDMM_LOCK_READ_ONLY) && (flags & VIDMM_LOCK_WRITE_ONLY)) return STATUS_INVALID_PARAMETER;
    if ((flags & VIDMM_LOCK_IGNORE_SYNC) && (flags & VIDMM_LOCK_ACQUIRE_APERTURE)) return STATUS_INVALID_PARAMETER;
    if ((flags & VIDMM_LOCK_USE_ALTERNATE_VA) && !(flags & VIDMM_LOCK_ACQUIRE_APERTURE)) return STATUS_INVALID_PARAMETER;
    if ((flags & VIDMM_LOCK_ENTIRE) && (args->num_pages || args->pages)) return STATUS_INVALID_PARAMETER;
    if (args->num_pages && !args->pages) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

static int take_aperture(struct vidmm_gpu *gpu)
{
    unsigned int used = atomic_load(&gpu->apertures_used);

    while (used < atomic_load(&gpu->apertures))
        if (atomic_compare_exchange_weak(&gpu->apertures_used, &used, used + 1)) return 1;
    return 0;
}

enum lock_next
{
    LOCK_DONE,       /* status is final */
    LOCK_WAIT,       /* paging in flight: wait for it */
    LOCK_EVICT,      /* the CPU cannot reach it in video memory: move it to system memory */
};

/* The first part of every lock. */
static NTSTATUS lock_locked(struct vidmm_allocation *alloc, struct vidmm_lock_args *args, enum lock_next *next)
{
    uint32_t flags = args->lock2 ? 0 : args->flags;
    int swizzled = !!(alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_SWIZZLED);
    uint8_t *address;

    vidmm_assert_held(&alloc->lock);
    *next = LOCK_DONE;
    if (alloc->dead || alloc->offered) return STATUS_INVALID_PARAMETER;  /* reclaim before locking */
    if (alloc->lock_count >= D3DKMT_WINE_MAX_LOCK_REFERENCES) return STATUS_GRAPHICS_TOO_MANY_REFERENCES;
    if (!alloc->lock_count)
    {
        if (alloc->paging != VIDMM_PAGING_NONE)
        {
            /* An eviction or restore is queued or running. */
            if (flags & VIDMM_LOCK_DONOT_WAIT) return STATUS_GRAPHICS_ALLOCATION_BUSY;
            *next = LOCK_WAIT;
            return STATUS_PENDING;
        }
        if (alloc->location == VIDMM_LOC_LOCAL)
        {
            if (swizzled && take_aperture(alloc_gpu(alloc))) alloc->aperture = 1;
            else if (swizzled || !(alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE))
            {
                /* No linear CPU view in video memory: evict to system memory
                 * (deswizzled there), which a pinned allocation cannot do. */
                if (alloc_pinned(alloc)) return STATUS_GRAPHICS_CANT_EVICT_PINNED_ALLOCATION;
                if (flags & VIDMM_LOCK_DONOT_EVICT)
                    return swizzled ? STATUS_GRAPHICS_UNSWIZZLING_APERTURE_UNAVAILABLE : STATUS_GRAPHICS_ALLOCATION_BUSY;
                *next = LOCK_EVICT;
                return STATUS_PENDING;
            }
        }
        address = alloc_address(alloc);
        /* Its memory was handed over as the last owner left it (segment.c,
         * leave_local): zero what it never wrote before anyone sees it.
         * alloc->lock, held, keeps every move out meanwhile. */
        if (!alloc->written && address && alloc->location != VIDMM_LOC_USER
            && alloc->location != VIDMM_LOC_SHARED && !alloc_memory_zero(alloc))
            heap_clear(alloc_gpu(alloc)->heap.ops, address, alloc->size);
        alloc->written = 1;   /* from now on its content counts */
        alloc->locked_once = 1;
    }
    /* A locked allocation does not move (evict_begin, gpu_restore): every
     * lock of it gets the first one's address. */
    else address = alloc_address(alloc);
    alloc->lock_count++;
    args->data = (uintptr_t)address;
    args->gpu_va = 0;
    return STATUS_SUCCESS;
}


NTSTATUS vidmm_lock(struct vidmm *mm, struct vidmm_lock_args *args)
{
    const uint32_t *pages = (const uint32_t *)(uintptr_t)args->pages;
    struct vidmm_allocation *alloc;
    enum lock_next next;
    NTSTATUS status;
    uint64_t page_count;
    uint32_t i;

    if ((status = check_lock_flags(args))) return status;
    /* An opened allocation locks the creator's memory: the same pointer.  The
     * opened one's device is the one checked, as before: the caller's. */
    if ((status = lookup_device_allocation(mm, args->device, args->allocation, 1, &alloc))) return status;
    page_count = alloc->size / VIDMM_PAGE_SIZE;
    if (args->num_pages > page_count)
    {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    for (i = 0; i < args->num_pages; i++)
        if (pages[i] >= page_count)
        {
            status = STATUS_INVALID_PARAMETER;
            goto done;
        }
    /* Fault injection: a busy allocation, for a caller that would not wait. */
    if (mm->faults && !args->lock2 && (args->flags & VIDMM_LOCK_DONOT_WAIT)
        && (status = faults_lock(mm->faults, args->allocation)))
        goto done;

    alloc_lock(alloc);
    status = lock_locked(alloc, args, &next);
    if (next == LOCK_DONE && !status) fastlock_arm_if_idle(mm, alloc, alloc_address(alloc));
    vidmm_mutex_unlock(&alloc->lock);
    if (next == LOCK_DONE) goto done;

    /* Slow path: under the GPU lock nothing can move it behind our back.
     * Look again first: it may have been destroyed or moved meanwhile. */
    vidmm_mutex_lock(&alloc_gpu(alloc)->lock);
    for (;;)
    {
        alloc_lock(alloc);
        status = lock_locked(alloc, args, &next);
        if (next == LOCK_DONE && !status) fastlock_arm_if_idle(mm, alloc, alloc_address(alloc));
        vidmm_mutex_unlock(&alloc->lock);
        if (next == LOCK_DONE) break;
        if (next == LOCK_WAIT) pager_wait(alloc_gpu(alloc), alloc);
        else if (next == LOCK_EVICT && (status = gpu_evict(mm, alloc_gpu(alloc), alloc))) break;
    }
    vidmm_mutex_unlock(&alloc_gpu(alloc)->lock);

done:
    if (!status) alloc_mark_used(alloc);
    vidmm_put(mm, alloc);
    return status;
}

/* The last unlock: give back the aperture, redo a restore skipped while locked. */
static void unlock_last(struct vidmm *mm, struct vidmm_allocation *alloc, int *restore)
{
    vidmm_assert_held(&alloc->lock);
    if (alloc->aperture) atomic_fetch_sub(&alloc_gpu(alloc)->apertures_used, 1);
    alloc->aperture = 0;
    /* Victim choice parked it while locked: back on its list (lru.c). */
    *restore = alloc->wants_restore || atomic_load_explicit(&alloc->parked, memory_order_relaxed);
}

static void restore_after_unlock(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    vidmm_mutex_lock(&alloc_gpu(alloc)->lock);
    if (atomic_load_explicit(&alloc->parked, memory_order_relaxed)) lru_unpark(alloc_gpu(alloc), alloc);
    if (!alloc->dead && alloc->residency_count && alloc->location == VIDMM_LOC_SYSTEM)
        pager_queue(mm, alloc_gpu(alloc), alloc, VIDMM_PAGING_RESTORE);
    vidmm_mutex_unlock(&alloc_gpu(alloc)->lock);
}

static int compare_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
    return x < y ? -1 : x > y;
}

NTSTATUS vidmm_unlock(struct vidmm *mm, const struct vidmm_unlock_args *args)
{
    const uint32_t *handles = (const uint32_t *)(uintptr_t)args->handles;
    struct vidmm_allocation *one, **allocs;
    uint8_t restores[D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL];
    struct vidmm_device *device;
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i, j, runs;
    int restore = 0;

    if (!args->count || !handles || args->count > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL)
        return STATUS_INVALID_PARAMETER;

    if (args->count == 1)
    {
        /* The common case: no sorting, no device reference (see vidmm_lock).
         * Unlock works on a removed device too, so no device_check. */
        if ((status = lookup_device_allocation(mm, args->device, handles[0], 0, &one))) return status;
        alloc_lock(one);
        if (one->dead || !one->lock_count) status = STATUS_INVALID_PARAMETER;
        else if (!--one->lock_count) unlock_last(mm, one, &restore);
        if (!status && !restore) fastlock_arm_if_idle(mm, one, alloc_address(one));
        vidmm_mutex_unlock(&one->lock);
        if (restore) restore_after_unlock(mm, one);
        vidmm_put(mm, one);
        return status;
    }

    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;

    if ((status = resolve_allocations(mm, device, 0, handles, args->count, &allocs, &i)))
    {
        vidmm_put(mm, device);
        return status;
    }

    /* All or nothing: hold every allocation's lock (in address order, so no
     * deadlock) while checking that each is locked often enough. */
    qsort(allocs, args->count, sizeof(*allocs), compare_ptr);
    for (i = 0; i < args->count; i++)
        if (!i || allocs[i] != allocs[i - 1]) alloc_lock(allocs[i]);
    for (i = 0; i < args->count && !status; i = j)
    {
        for (j = i, runs = 0; j < args->count && allocs[j] == allocs[i]; j++) runs++;
        if (allocs[i]->dead || allocs[i]->lock_count < runs) status = STATUS_INVALID_PARAMETER;
    }
    for (i = 0; i < args->count; i++)
    {
        int last = i + 1 == args->count || allocs[i + 1] != allocs[i];

        restore = 0;
        if (!status && !--allocs[i]->lock_count) unlock_last(mm, allocs[i], &restore);
        if (last) vidmm_mutex_unlock(&allocs[i]->lock);
        /* Restores take the GPU lock, so only once no allocation lock is held. */
        restores[i] = restore;
    }
    for (i = 0; i < args->count; i++)
        if (restores[i]) restore_after_unlock(mm, allocs[i]);

    release_allocations(mm, allocs, args->count);
    vidmm_put(mm, device);
    return status;
}
