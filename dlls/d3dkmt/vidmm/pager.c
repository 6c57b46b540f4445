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
 * Layer 5, the pager: one thread per GPU that carries out queued evictions and
 * restores, as Windows' VidMm does on its paging queues.  Every operation
 * gets a fence value; the thread signals the last completed one on the
 * paging queues' monitored fences, which wakes their CPU waits.
 *
 * Everything here runs under gpu->lock except the copy of a job's content
 * (run_job says why that is safe); the thread also drops the lock to sleep
 * and between batches of jobs.  So whenever anyone else holds the lock, a
 * job is queued, finished, or copying with gpu->moving naming it.  A job
 * holds no reference: a destroy waits for a copy in flight, then marks the
 * allocation dead and cancels its job under gpu->lock before the last
 * reference can go, and nothing queues a dead one.
 */
#if 0
#pragma makedep unix
#endif
#include <sched.h>
#include <string.h>
#include <time.h>

#include "sync_private.h"

/* Jobs run per hold of gpu->lock. */
#define PAGER_BATCH 32
/* CPU time the pager takes before it yields, whatever the count: a thread
 * it preempted on its CPU stays there (Linux keeps a task that just ran on
 * its CPU even while the other one idles), and 32 moves of 4 MiB are 3 ms.
 * A yield costs about 1 us; one job (a 4 MiB copy, ~300 us) may overrun. */
#define PAGER_SLICE_NS (100 * 1000)
/* Smaller copies (~10 us each, at most PAGER_BATCH per hold) are done with
 * gpu->lock held: dropping and retaking it for each would cost more. */
#define PAGER_UNLOCKED_MIN (64 * 1024)

struct pager_start
{
    struct vidmm *mm;
    struct vidmm_gpu *gpu;
};

void pager_publish_fence(struct vidmm_gpu *gpu)
{
    struct vidmm_list *e;

    vidmm_assert_held(&gpu->lock);
    for (e = gpu->paging_queues.next; e != &gpu->paging_queues; e = e->next)
    {
        struct vidmm_paging_queue *queue = LIST_ENTRY(e, struct vidmm_paging_queue, gpu_entry);
        sync_signal_internal_fence(queue->mm, queue->sync_object, gpu->fence_completed);
    }
}

/* Carries out one job: begin, copy, commit (vidmm_move).  With unlocked
 * set (the pager thread) a copy of PAGER_UNLOCKED_MIN or more runs without
 * gpu->lock, which is safe:
 * - the destination is reserved (heap or pool block) and only mv holds it;
 *   the source stays the allocation's until the commit;
 * - alloc->paging stays set, so Lock waits or says busy instead of getting
 *   a pointer to either side (lock.c), victim choice skips it, Evict,
 *   MakeResident and budget changes only change the wish (pager_queue),
 *   which the caller looks at after the commit;
 * - gpu->moving names it: a direct evict (Offer, Lock) leaves it alone and a
 *   destroy (allocation, device, adapter) waits in pager_cancel until the
 *   commit, so its memory is freed after the copy, never under it;
 * - pager_stop is seen only after the commit.
 * alloc->lock is not held across the copy: the paging state keeps it stable. */
static void run_job(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, int unlocked)
{
    int restore = alloc->paging == VIDMM_PAGING_RESTORE;
    struct vidmm_move mv;

    vidmm_assert_held(&gpu->lock);
    mv.active = 0;
    switch (alloc->paging)
    {
    case VIDMM_PAGING_EVICT:
        /* Things may have changed since it was queued: locked or wanted again. */
        if (alloc->location == VIDMM_LOC_LOCAL && alloc_evictable(alloc)) evict_begin(mm, gpu, alloc, &mv, 0);
        break;
    case VIDMM_PAGING_RESTORE:
        /* A failed restore leaves it in its backing store; MakeResident
         * already checked the budget, so that only happens under pressure
         * from pinned or locked allocations. */
        if (alloc->location == VIDMM_LOC_SYSTEM) gpu_restore(mm, gpu, alloc, &mv);
        break;
    case VIDMM_PAGING_NONE:
        break;
    }
    if (!mv.active) return;
    if (unlocked && mv.copy && mv.size >= PAGER_UNLOCKED_MIN)
    {
        gpu->moving = alloc;
        vidmm_mutex_unlock(&gpu->lock);
        move_content(mm, gpu, &mv);
        vidmm_mutex_lock(&gpu->lock);
        gpu->moving = NULL;
        /* A destroy waiting in pager_cancel (else no one to wake for this). */
        if (gpu->moving_waiters) pthread_cond_broadcast(&gpu->paging_done);
    }
    else move_content(mm, gpu, &mv);
    if (restore) restore_commit(mm, gpu, alloc, &mv);
    else evict_commit(mm, gpu, alloc, &mv, 0);
}

static uint64_t pager_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *pager_thread(void *arg)
{
    struct pager_start start = *(struct pager_start *)arg;
    struct vidmm_gpu *gpu = start.gpu;
    struct vidmm *mm = start.mm;
    unsigned int jobs_run;
    uint64_t slice_start = pager_clock_ns();
    uint8_t op;

    vidmm_free(arg);
    vidmm_mutex_lock(&gpu->lock);
    for (jobs_run = 0;; jobs_run++)
    {
        struct vidmm_allocation *alloc;

        /* A long queue (an Evict of thousands) or long jobs let other
         * threads in between jobs; no job is half done while the lock is
         * free. */
        if (jobs_run && (!(jobs_run % PAGER_BATCH) || pager_clock_ns() - slice_start >= PAGER_SLICE_NS))
        {
            gpu->pager_yields++;
            vidmm_mutex_unlock(&gpu->lock);
            sched_yield();
            vidmm_mutex_lock(&gpu->lock);
            slice_start = pager_clock_ns();
        }

        while (!gpu->pager_stop && (gpu->pager_paused || ilist_empty(&gpu->jobs)))
        {
            vidmm_cond_wait(&gpu->pager_wake, &gpu->lock);
            slice_start = pager_clock_ns();   /* it slept: a new slice */
        }
        if (gpu->pager_stop) break;

        alloc = ilist_first(gpu->allocs, &gpu->jobs);
        op = alloc->paging;
        run_job(mm, gpu, alloc, 1);
        /* Wanted the other way meanwhile (the lock was dropped for the copy):
         * the job stays first in the queue, with its fence, and runs again. */
        if (alloc->paging != op) continue;
        ilist_remove(gpu->allocs, &gpu->jobs, alloc, ALLOC_JOB);
        alloc_lock(alloc);
        alloc->paging = VIDMM_PAGING_NONE;
        vidmm_mutex_unlock(&alloc->lock);
        lru_update(gpu, alloc);   /* still resident (or restored): a candidate again */
        gpu->fence_completed = ilist_empty(&gpu->jobs) ? gpu->fence_submitted : alloc_paging_fence(gpu, alloc);
        pager_publish_fence(gpu);
        pthread_cond_broadcast(&gpu->paging_done);
    }
    vidmm_mutex_unlock(&gpu->lock);
    return NULL;
}

uint64_t pager_queue(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, enum vidmm_paging_op op)
{
    struct pager_start *start;

    vidmm_assert_held(&gpu->lock);
    if (alloc->dead) return gpu->fence_completed;   /* destroyed after the caller looked */
    if (alloc->paging != VIDMM_PAGING_NONE)
    {
        /* Already queued: the latest wish wins, the fence stays. */
        alloc_lock(alloc);
        alloc->paging = op;
        vidmm_mutex_unlock(&alloc->lock);
        return alloc_paging_fence(gpu, alloc);
    }
    if (!gpu->pager_running && (start = vidmm_malloc(sizeof(*start))))
    {
        start->mm = mm;
        start->gpu = gpu;
        if (!pthread_create(&gpu->pager, NULL, pager_thread, start)) gpu->pager_running = 1;
        else vidmm_free(start);
    }
    if (!gpu->pager_running)
    {
        /* No thread could be had: do the work now, synchronously. */
        alloc_lock(alloc);
        alloc->paging = op;
        vidmm_mutex_unlock(&alloc->lock);
        run_job(mm, gpu, alloc, 0);   /* the caller relies on gpu->lock staying held */
        alloc_lock(alloc);
        alloc->paging = VIDMM_PAGING_NONE;
        vidmm_mutex_unlock(&alloc->lock);
        lru_update(gpu, alloc);   /* still resident (or restored): a candidate again */
        gpu->fence_completed = ++gpu->fence_submitted;
        pager_publish_fence(gpu);
        return gpu->fence_completed;
    }
    alloc_lock(alloc);
    alloc->paging = op;
    vidmm_mutex_unlock(&alloc->lock);
    alloc->paging_fence = (uint32_t)++gpu->fence_submitted;
    ilist_add_tail(gpu->allocs, &gpu->jobs, alloc, ALLOC_JOB);
    pthread_cond_signal(&gpu->pager_wake);
    return gpu->fence_submitted;
}

void pager_cancel(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    /* Its content is being copied without gpu->lock: the memory must stay
     * until the commit (the pager takes no other lock, so this ends). */
    while (gpu->moving == alloc)
    {
        gpu->moving_waiters++;
        vidmm_cond_wait(&gpu->paging_done, &gpu->lock);
        gpu->moving_waiters--;
    }
    if (alloc->paging == VIDMM_PAGING_NONE) return;
    ilist_remove(gpu->allocs, &gpu->jobs, alloc, ALLOC_JOB);
    alloc_lock(alloc);
    alloc->paging = VIDMM_PAGING_NONE;
    vidmm_mutex_unlock(&alloc->lock);
    /* Jobs finish in fence order, so only an empty queue completes the rest. */
    if (ilist_empty(&gpu->jobs)) gpu->fence_completed = gpu->fence_submitted;
    pager_publish_fence(gpu);
    pthread_cond_broadcast(&gpu->paging_done);
}

void pager_wait(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    while (alloc->paging != VIDMM_PAGING_NONE && gpu->pager_running)
        vidmm_cond_wait(&gpu->paging_done, &gpu->lock);
}

void pager_stop(struct vidmm_gpu *gpu)
{
    vidmm_mutex_lock(&gpu->lock);
    if (!gpu->pager_running)
    {
        vidmm_mutex_unlock(&gpu->lock);
        return;
    }
    gpu->pager_stop = 1;
    pthread_cond_signal(&gpu->pager_wake);
    vidmm_mutex_unlock(&gpu->lock);
    pthread_join(gpu->pager, NULL);
    gpu->pager_running = 0;
}

void gpu_trim_to_budget(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    struct vidmm_allocation *victim, *alloc;
    uint64_t usage = gpu->local.usage;

    vidmm_assert_held(&gpu->lock);
    /* What already waits for eviction counts as gone. */
    for (alloc = ilist_first(gpu->allocs, &gpu->jobs); alloc; alloc = ilist_next(gpu->allocs, alloc, ALLOC_JOB))
    {
        if (alloc->paging == VIDMM_PAGING_EVICT && alloc->location == VIDMM_LOC_LOCAL) usage -= alloc->size;
    }
    while (usage > gpu->local_budget && (victim = pick_victim(gpu, NULL)))
    {
        pager_queue(mm, gpu, victim, VIDMM_PAGING_EVICT);
        usage -= victim->size;
    }
}
