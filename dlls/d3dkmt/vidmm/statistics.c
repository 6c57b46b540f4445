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
 * Statistics: what D3DKMTQueryStatistics and the monitor report.
 *
 * Each GPU counts its allocations, evictions and restores under gpu->lock
 * at segment.c's commit points (struct vidmm_gpu_counters) and publishes
 * them in this process' slot of the system view together with its usage, so
 * that another process reads them with no help from this one.  The one
 * figure not kept as a count is the number of locked allocations: counting
 * it would write a shared line at every Lock, so it is found by a walk of
 * the allocations, at a query of this process and at the watcher's tick
 * after another process asked (system_request_stats); another process sees
 * it up to one tick late.
 *
 * Lock order: objects_lock, then gpus_lock, then gpu->lock; an allocation's
 * lock is taken with objects_lock alone (the walk).
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

#define STORE32(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define STORE64(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

void stats_publish(struct vidmm_gpu *gpu)
{
    struct vidmm_system_adapter *a = gpu->sys;
    const struct vidmm_gpu_counters *c = &gpu->counters;
    uint32_t g;

    vidmm_assert_held(&gpu->lock);
    if (!a) return;
    for (g = 0; g < 2; g++)
    {
        STORE64(&a->committed[g], c->committed[g]);
        STORE32(&a->allocations[g], c->allocations[g]);
    }
    STORE64(&a->nonlocal_size, gpu->nonlocal.size);
    STORE32(&a->resident_local, c->resident_local);
    STORE64(&a->evictions, c->evictions);
    STORE64(&a->evicted_bytes, c->evicted_bytes);
    STORE64(&a->restores, c->restores);
    STORE64(&a->restored_bytes, c->restored_bytes);
    STORE64(&a->fence_submitted, gpu->fence_submitted);
    STORE64(&a->fence_completed, gpu->fence_completed);
}

void stats_count_create(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    alloc->counted = 1;
    gpu->counters.committed[alloc->group] += alloc->size;
    gpu->counters.allocations[alloc->group]++;
    stats_publish(gpu);
}

void stats_count_destroy(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (!alloc->counted) return;
    alloc->counted = 0;
    gpu->counters.committed[alloc->group] -= alloc->size;
    gpu->counters.allocations[alloc->group]--;
    /* An evicted local allocation leaves no usage change to publish it. */
    stats_publish(gpu);
}

void stats_count_move(struct vidmm_gpu *gpu, const struct vidmm_allocation *alloc, int restore)
{
    vidmm_assert_held(&gpu->lock);
    if (restore)
    {
        gpu->counters.restores++;
        gpu->counters.restored_bytes += alloc->size;
    }
    else
    {
        gpu->counters.evictions++;
        gpu->counters.evicted_bytes += alloc->size;
    }
}

/* ---- the locked count ---- */

struct locked_walk
{
    struct vidmm_allocation **allocs;
    uint32_t count, max;
};

static int collect_allocation(void *ctx, uint32_t handle, void *object)
{
    struct locked_walk *w = ctx;

    if (w->count < w->max) w->allocs[w->count++] = object;
    return 0;
}

/* Counts the locked allocations of each GPU of this process, publishes each
 * count, and returns the one of the GPU with `luid` (0: none).  objects_lock
 * keeps every allocation alive while its own lock is taken (destroy needs
 * objects_lock), gpus_lock every GPU. */
static uint32_t walk_locked(struct vidmm *mm, uint64_t luid)
{
    struct vidmm_gpu *gpus[VIDMM_SYSTEM_ADAPTERS];
    uint32_t counts[VIDMM_SYSTEM_ADAPTERS] = {0};
    struct locked_walk w = {0};
    uint32_t i, g, n = 0, result = 0;
    struct vidmm_list *e;

    vidmm_mutex_lock(&mm->objects_lock);
    w.max = handle_table_count(&mm->table, VIDMM_OBJECT_ALLOCATION);
    if (w.max && (w.allocs = vidmm_malloc(w.max * sizeof(*w.allocs))))
        handle_table_for_each(&mm->table, VIDMM_OBJECT_ALLOCATION, collect_allocation, &w);
    vidmm_mutex_lock(&mm->gpus_lock);
    for (e = mm->gpus.next; e != &mm->gpus && n < VIDMM_SYSTEM_ADAPTERS; e = e->next)
        gpus[n++] = LIST_ENTRY(e, struct vidmm_gpu, entry);
    for (i = 0; i < w.count; i++)
    {
        struct vidmm_allocation *alloc = w.allocs[i];

        if (alloc_alias_of(alloc)) continue;   /* an alias's locks are its target's */
        for (g = 0; g < n && gpus[g] != alloc_gpu(alloc); g++) ;
        if (g == n) continue;
        vidmm_mutex_lock(&alloc->lock);
        if (fastlock_count(alloc) && !alloc->dead) counts[g]++;   /* fast locks too, without disarming */
        vidmm_mutex_unlock(&alloc->lock);
    }
    for (g = 0; g < n; g++)
    {
        vidmm_mutex_lock(&gpus[g]->lock);
        if (gpus[g]->sys) STORE32(&gpus[g]->sys->locked, counts[g]);
        if (gpus[g]->luid == luid) result = counts[g];
        vidmm_mutex_unlock(&gpus[g]->lock);
    }
    vidmm_mutex_unlock(&mm->gpus_lock);
    vidmm_mutex_unlock(&mm->objects_lock);
    vidmm_free(w.allocs);
    return result;
}

/* The watcher's tick: the paging fences, which move without a usage change,
 * and the locked counts when another process asked since the last tick. */
void stats_system_tick(struct vidmm *mm)
{
    uint32_t requests = system_stats_requests(mm);
    struct vidmm_list *e;

    vidmm_mutex_lock(&mm->gpus_lock);
    for (e = mm->gpus.next; e != &mm->gpus; e = e->next)
    {
        struct vidmm_gpu *gpu = LIST_ENTRY(e, struct vidmm_gpu, entry);

        vidmm_mutex_lock(&gpu->lock);
        stats_publish(gpu);
        vidmm_mutex_unlock(&gpu->lock);
    }
    vidmm_mutex_unlock(&mm->gpus_lock);
    if (requests == mm->stats_requests_seen) return;
    mm->stats_requests_seen = requests;
    walk_locked(mm, 0);
}

/* ---- the query ---- */

static struct vidmm_gpu *gpu_by_luid(struct vidmm *mm, uint64_t luid)
{
    struct vidmm_list *e;

    vidmm_assert_held(&mm->gpus_lock);
    for (e = mm->gpus.next; e != &mm->gpus; e = e->next)
    {
        struct vidmm_gpu *gpu = LIST_ENTRY(e, struct vidmm_gpu, entry);
        if (gpu->luid == luid) return gpu;
    }
    return NULL;
}

/* This process' own figures, exact. */
static void own_stats(struct vidmm_gpu *gpu, struct vidmm_statistics *st)
{
    const struct vidmm_gpu_counters *c = &gpu->counters;
    uint32_t g;

    vidmm_assert_held(&gpu->lock);
    for (g = 0; g < 2; g++)
    {
        st->committed[g] = c->committed[g];
        st->allocations[g] = c->allocations[g];
    }
    st->resident[0] = gpu->local.usage;
    st->resident[1] = gpu->nonlocal.usage;
    st->resident_allocations[0] = c->resident_local;
    st->resident_allocations[1] = c->allocations[1];
    st->budget[0] = gpu->local_budget;
    st->budget[1] = gpu->nonlocal.size;
    st->evictions = c->evictions;
    st->evicted_bytes = c->evicted_bytes;
    st->restores = c->restores;
    st->restored_bytes = c->restored_bytes;
    st->fence_submitted = gpu->fence_submitted;
    st->fence_completed = gpu->fence_completed;
    st->backing_bytes = gpu->backing_bytes;
    st->processes = 1;
}

/* What other processes publish: one of them (pid), or all together (pid
 * 0, this process included).  No core lock held: it may ask wineserver
 * whether a process lives. */
static void published_stats(struct vidmm *mm, uint64_t luid, uint64_t own_usage, uint32_t pid,
                            struct vidmm_statistics *st)
{
    struct vidmm_system_adapter sum;
    uint32_t g;

    st->processes = system_read_entries(mm, pid, luid, &sum);
    for (g = 0; g < 2; g++)
    {
        st->committed[g] = sum.committed[g];
        st->allocations[g] = sum.allocations[g];
        st->resident[g] = sum.usage[g];
        st->budget[g] = st->segment_size[g];
    }
    st->resident_allocations[0] = sum.resident_local;
    st->resident_allocations[1] = sum.allocations[1];
    st->locked = sum.locked;
    st->evictions = sum.evictions;
    st->evicted_bytes = sum.evicted_bytes;
    st->restores = sum.restores;
    st->restored_bytes = sum.restored_bytes;
    st->fence_submitted = sum.fence_submitted;
    st->fence_completed = sum.fence_completed;
    if (pid && st->processes)
    {
        struct vidmm_system_budget b;

        /* The same answer as QueryVideoMemoryInfo with its handle. */
        system_budget(mm, luid, st->segment_size[0], own_usage, 1, pid, &b);
        st->budget[0] = b.budget;
    }
}

NTSTATUS vidmm_query_statistics(struct vidmm *mm, struct vidmm_query_statistics_args *args)
{
    struct vidmm_statistics *st = &args->stats;
    struct vidmm_gpu *gpu;
    uint64_t own_usage = 0;
    int published = 0;

    if (args->scope > VIDMM_STATS_SYSTEM || (args->scope == VIDMM_STATS_PROCESS && !args->process_id))
        return STATUS_INVALID_PARAMETER;
    memset(st, 0, sizeof(*st));
    args->found = 0;
    if (args->scope == VIDMM_STATS_SELF) st->locked = walk_locked(mm, args->luid);
    else if (args->scope == VIDMM_STATS_PROCESS) system_request_stats(mm);
    vidmm_mutex_lock(&mm->gpus_lock);
    if ((gpu = gpu_by_luid(mm, args->luid)))
    {
        vidmm_mutex_lock(&gpu->lock);
        args->found = 1;
        st->segment_size[0] = gpu->local.size;
        st->segment_size[1] = gpu->nonlocal.size;
        st->source_count = gpu->source_count;
        own_usage = gpu->local.usage;
        /* Without a system view this process is the whole system. */
        published = args->scope != VIDMM_STATS_SELF && gpu->sys;
        if (!published && args->scope != VIDMM_STATS_PROCESS) own_stats(gpu, st);
        vidmm_mutex_unlock(&gpu->lock);
    }
    vidmm_mutex_unlock(&mm->gpus_lock);
    if (published) published_stats(mm, args->luid, own_usage, args->process_id, st);
    return STATUS_SUCCESS;
}
