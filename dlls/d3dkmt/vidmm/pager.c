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
 * Everything here runs under gpu->lock (the thread drops it only to sleep
 * and between batches of jobs),
 * so a job is either queued or finished whenever anyone else holds the lock;
 * destroying an allocation just takes its job off the queue.  A job holds no
 * reference: a destroy marks the allocation dead and cancels its job under
 * gpu->lock before the last reference can go, and nothing queues a dead one.
 */
#if 0
#pragma makedep unix
#endif
#include <sched.h>
#include <string.h>

#include "sync_private.h"

/* Jobs run per hold of gpu->lock. */
#define PAGER_BATCH 32

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

/* Carries out one job. */
static void run_job(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    switch (alloc->paging)
    {
    case VIDMM_PAGING_EVICT:
        /* Things may have changed since it was queued: locked or wanted again. */
        if (alloc->location == VIDMM_LOC_LOCAL && alloc_evictable(alloc)) gpu_evict(mm, gpu, alloc);
        break;
    case VIDMM_PAGING_RESTORE:
        /* A failed restore leaves it in its backing store; MakeResident
         * already checked the budget, so that only happens under pressure
         * from pinned or locked allocations. */
        if (alloc->location == VIDMM_LOC_SYSTEM) gpu_restore(mm, gpu, alloc);
        break;
    case VIDMM_PAGING_NONE:
        break;
    }
}

static void *pager_thread(void *arg)
{
    struct pager_start start = *(struct pager_start *)arg;
    struct vidmm_gpu *gpu = start.gpu;
    struct vidmm *mm = start.mm;
    unsigned int jobs_run;

    vidmm_free(arg);
    vidmm_mutex_lock(&gpu->lock);
    for (jobs_run = 0;; jobs_run++)
    {
        struct vidmm_allocation *alloc;

        /* A long queue (an Evict of thousands) lets other threads in
         * between jobs; no job is half done while the lock is free. */
        if (jobs_run && !(jobs_run % PAGER_BATCH))
        {
            vidmm_mutex_unlock(&gpu->lock);
            sched_yield();
            vidmm_mutex_lock(&gpu->lock);
        }

        while (!gpu->pager_stop && (gpu->pager_paused || list_empty(&gpu->jobs)))
            vidmm_cond_wait(&gpu->pager_wake, &gpu->lock);
        if (gpu->pager_stop) break;

        alloc = LIST_ENTRY(gpu->jobs.next, struct vidmm_allocation, job);
        run_job(mm, gpu, alloc);
        list_remove(&alloc->job);
        vidmm_mutex_lock(&alloc->lock);
        alloc->paging = VIDMM_PAGING_NONE;
        vidmm_mutex_unlock(&alloc->lock);
        lru_update(gpu, alloc);   /* still resident (or restored): a candidate again */
        gpu->fence_completed = list_empty(&gpu->jobs) ? gpu->fence_submitted : alloc->paging_fence;
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
        vidmm_mutex_lock(&alloc->lock);
        alloc->paging = op;
        vidmm_mutex_unlock(&alloc->lock);
        return alloc->paging_fence;
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
        vidmm_mutex_lock(&alloc->lock);
        alloc->paging = op;
        vidmm_mutex_unlock(&alloc->lock);
        run_job(mm, gpu, alloc);
        vidmm_mutex_lock(&alloc->lock);
        alloc->paging = VIDMM_PAGING_NONE;
        vidmm_mutex_unlock(&alloc->lock);
        lru_update(gpu, alloc);   /* still resident (or restored): a candidate again */
        gpu->fence_completed = ++gpu->fence_submitted;
        pager_publish_fence(gpu);
        return gpu->fence_completed;
    }
    vidmm_mutex_lock(&alloc->lock);
    alloc->paging = op;
    vidmm_mutex_unlock(&alloc->lock);
    alloc->paging_fence = ++gpu->fence_submitted;
    list_add_tail(&gpu->jobs, &alloc->job);
    pthread_cond_signal(&gpu->pager_wake);
    return alloc->paging_fence;
}

void pager_cancel(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (alloc->paging == VIDMM_PAGING_NONE) return;
    list_remove(&alloc->job);
    vidmm_mutex_lock(&alloc->lock);
    alloc->paging = VIDMM_PAGING_NONE;
    vidmm_mutex_unlock(&alloc->lock);
    /* Jobs finish in fence order, so only an empty queue completes the rest. */
    if (list_empty(&gpu->jobs)) gpu->fence_completed = gpu->fence_submitted;
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
    struct vidmm_allocation *victim;
    uint64_t usage = gpu->local.usage;
    struct vidmm_list *e;

    vidmm_assert_held(&gpu->lock);
    /* What already waits for eviction counts as gone. */
    for (e = gpu->jobs.next; e != &gpu->jobs; e = e->next)
    {
        struct vidmm_allocation *alloc = LIST_ENTRY(e, struct vidmm_allocation, job);
        if (alloc->paging == VIDMM_PAGING_EVICT && alloc->location == VIDMM_LOC_LOCAL) usage -= alloc->size;
    }
    while (usage > gpu->local_budget && (victim = pick_victim(gpu, NULL)))
    {
        pager_queue(mm, gpu, victim, VIDMM_PAGING_EVICT);
        usage -= victim->size;
    }
}
