/*
 * Segments of one GPU: placement in the local segment, eviction to
 * system-memory backing stores, and usage accounting.
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

#define PAGES(bytes) ((bytes) / VIDMM_PAGE_SIZE)

NTSTATUS gpu_create(struct vidmm *mm, const struct vidmm_open_adapter_args *args, struct vidmm_gpu **out)
{
    struct vidmm_gpu *gpu;
    uint64_t local_size = args->local_size & ~(VIDMM_PAGE_SIZE - 1);

    if (!local_size) return STATUS_INVALID_PARAMETER;
    if (!(gpu = vidmm_calloc(1, sizeof(*gpu)))) return STATUS_NO_MEMORY;
    gpu->luid = args->luid;
    gpu->source_count = args->source_count;
    gpu->local.size = local_size;
    gpu->nonlocal.size = args->nonlocal_size & ~(VIDMM_PAGE_SIZE - 1);
    list_init(&gpu->local.lru);
    list_init(&gpu->nonlocal.lru);
    list_init(&gpu->jobs);
    list_init(&gpu->paging_queues);
    gpu->local_budget = local_size;
    /* Over-commit ceiling: what system memory may hold of ours, non-local
     * allocations and backing stores together (3/4 of RAM by default). */
    gpu->commit_limit = gpu->nonlocal.size + gpu->nonlocal.size / 2;
    atomic_init(&gpu->apertures, D3DKMT_WINE_DEFAULT_APERTURES);
    if (range_alloc_init(&gpu->local.ra, PAGES(local_size)))
    {
        vidmm_free(gpu);
        return STATUS_NO_MEMORY;
    }
    if (!(gpu->local.base = mm->ops.reserve(mm->ops.ctx, local_size)))
    {
        range_alloc_cleanup(&gpu->local.ra);
        vidmm_free(gpu);
        return STATUS_NO_MEMORY;
    }
    pthread_mutex_init(&gpu->lock, NULL);
    pthread_cond_init(&gpu->pager_wake, NULL);
    pthread_cond_init(&gpu->paging_done, NULL);
    *out = gpu;
    return STATUS_SUCCESS;
}

void gpu_destroy(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    pager_stop(gpu);
    pthread_cond_destroy(&gpu->pager_wake);
    pthread_cond_destroy(&gpu->paging_done);
    mm->ops.release(mm->ops.ctx, gpu->local.base, gpu->local.size);
    range_alloc_cleanup(&gpu->local.ra);
    pthread_mutex_destroy(&gpu->lock);
    vidmm_free(gpu);
}

uint8_t *alloc_address(const struct vidmm_allocation *alloc)
{
    switch (alloc->location)
    {
    case VIDMM_LOC_LOCAL: return alloc->block ? alloc->gpu->local.base + alloc->block->offset * VIDMM_PAGE_SIZE : NULL;
    case VIDMM_LOC_SYSTEM: return alloc->backing_lost ? NULL : alloc->backing;
    case VIDMM_LOC_USER: return (uint8_t *)(uintptr_t)alloc->user_mem;
    case VIDMM_LOC_NONE: break;
    }
    return NULL;
}

int alloc_pinned(const struct vidmm_allocation *alloc)
{
    return (alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_PINNED) || (alloc->info_flags & VIDMM_ALLOC_PRIMARY);
}

void gpu_touch(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    if (alloc->dead || alloc->location != VIDMM_LOC_LOCAL || alloc_pinned(alloc)) return;
    list_remove(&alloc->lru);
    list_add_tail(&gpu->local.lru, &alloc->lru);
}

/* A backing store: reserved and committed system memory.  Reserve failing,
 * or the commit ceiling reached, means video memory cannot be virtualised
 * any further (non-local memory: system memory is out); gpu->lock held. */
static NTSTATUS backing_create(struct vidmm *mm, struct vidmm_gpu *gpu, uint64_t size, NTSTATUS reserve_failure,
                               uint8_t **out)
{
    uint8_t *mem;

    if (size > gpu->commit_limit - gpu->backing_bytes) return reserve_failure;
    if (!(mem = mm->ops.reserve(mm->ops.ctx, size))) return reserve_failure;
    if (mm->ops.commit(mm->ops.ctx, mem, size))
    {
        mm->ops.release(mm->ops.ctx, mem, size);
        return STATUS_NO_MEMORY;
    }
    *out = mem;
    return STATUS_SUCCESS;
}

void backing_discard(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    int lost;

    /* Give the pages back and take fresh zeroed ones: the content is gone. */
    if (!alloc->backing_lost) mm->ops.decommit(mm->ops.ctx, alloc->backing, alloc->size);
    lost = mm->ops.commit(mm->ops.ctx, alloc->backing, alloc->size)
           && mm->ops.commit(mm->ops.ctx, alloc->backing, alloc->size);
    /* Someone took the pages meanwhile: keep the reservation, never hand it
     * out; Lock and restore commit it again or fail (backing_recommit). */
    pthread_mutex_lock(&alloc->lock);
    alloc->backing_lost = lost;
    pthread_mutex_unlock(&alloc->lock);
}

NTSTATUS backing_recommit(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    if (!alloc->backing_lost) return STATUS_SUCCESS;
    if (mm->ops.commit(mm->ops.ctx, alloc->backing, alloc->size)) return STATUS_NO_MEMORY;
    pthread_mutex_lock(&alloc->lock);
    alloc->backing_lost = 0;
    pthread_mutex_unlock(&alloc->lock);
    return STATUS_SUCCESS;
}

static void backing_release(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    if (!alloc->backing) return;
    mm->ops.release(mm->ops.ctx, alloc->backing, alloc->size);
    alloc->backing = NULL;
    alloc->backing_lost = 0;
    gpu->backing_bytes -= alloc->size;
}

/* Tries to place the allocation in the local segment; gpu->lock held. */
static NTSTATUS place_local(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                            struct range_block **out)
{
    struct range_block *block;
    int no_memory;

    /* The budget (lowered by the test escape) caps what may be resident. */
    if (gpu->local.usage + alloc->size > gpu->local_budget) return STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    if (!(block = range_alloc(&gpu->local.ra, PAGES(alloc->size), alloc->align_pages, &no_memory)))
        return no_memory ? STATUS_NO_MEMORY : STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    if (mm->ops.commit(mm->ops.ctx, gpu->local.base + block->offset * VIDMM_PAGE_SIZE, alloc->size))
    {
        range_free(&gpu->local.ra, block);
        return STATUS_NO_MEMORY;
    }
    *out = block;
    return STATUS_SUCCESS;
}

static void enter_local(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct range_block *block)
{
    alloc->block = block;
    alloc->location = VIDMM_LOC_LOCAL;
    gpu->local.usage += alloc->size;
    list_init(&alloc->lru);
    if (!alloc_pinned(alloc)) list_add_tail(&gpu->local.lru, &alloc->lru);
    else gpu->local_pinned += alloc->size;
}

static void leave_local(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    if (!alloc->block) return;
    list_remove(&alloc->lru);
    mm->ops.decommit(mm->ops.ctx, gpu->local.base + alloc->block->offset * VIDMM_PAGE_SIZE, alloc->size);
    range_free(&gpu->local.ra, alloc->block);
    alloc->block = NULL;
    gpu->local.usage -= alloc->size;
    if (alloc_pinned(alloc)) gpu->local_pinned -= alloc->size;
}

NTSTATUS gpu_evict(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    NTSTATUS status;
    uint8_t *backing;

    /* Destroyed after the caller looked: nothing left to move. */
    if (alloc->dead || alloc->location != VIDMM_LOC_LOCAL || !alloc->block) return STATUS_SUCCESS;
    if ((status = backing_create(mm, gpu, alloc->size, STATUS_GRAPHICS_NO_VIDEO_MEMORY, &backing))) return status;
    pthread_mutex_lock(&alloc->lock);
    if (alloc->lock_count)
    {
        /* Locked since it was picked (Lock's fast path needs only alloc->lock):
         * its CPU address must stay valid, so it stays. */
        pthread_mutex_unlock(&alloc->lock);
        mm->ops.release(mm->ops.ctx, backing, alloc->size);
        return STATUS_GRAPHICS_ALLOCATION_BUSY;
    }
    /* Offered content may be dropped instead of copied: that is the point of offering. */
    if (alloc->offered) alloc->discarded = alloc->offer_decommit ? 2 : 1;
    else if (alloc->written) memcpy(backing, alloc_address(alloc), alloc->size);
    /* Never written: the fresh backing store is zero already, and stays untouched. */
    leave_local(mm, gpu, alloc);
    alloc->backing = backing;
    gpu->backing_bytes += alloc->size;
    alloc->location = VIDMM_LOC_SYSTEM;
    pthread_mutex_unlock(&alloc->lock);
    return STATUS_SUCCESS;
}

int alloc_evictable(struct vidmm_allocation *alloc)
{
    uint32_t locked;

    if (alloc->dead || alloc_pinned(alloc) || alloc->residency_count) return 0;
    pthread_mutex_lock(&alloc->lock);
    locked = alloc->lock_count;
    pthread_mutex_unlock(&alloc->lock);
    return !locked;
}

/* Whom to evict first: offered allocations (lowest offer priority first),
 * then the lowest priority; the LRU order breaks ties. */
static int victim_before(const struct vidmm_allocation *a, const struct vidmm_allocation *b)
{
    if (a->offered != b->offered) return a->offered;
    if (a->offered) return a->offer_priority < b->offer_priority;
    return a->priority < b->priority;
}

/* The allocation to evict next, or NULL; skips any with paging queued. */
static struct vidmm_allocation *pick_victim(struct vidmm_gpu *gpu, const struct vidmm_allocation *skip)
{
    struct vidmm_allocation *victim = NULL;
    struct vidmm_list *e;

    for (e = gpu->local.lru.next; e != &gpu->local.lru; e = e->next)
    {
        struct vidmm_allocation *alloc = LIST_ENTRY(e, struct vidmm_allocation, lru);

        if (alloc == skip || alloc->paging != VIDMM_PAGING_NONE || !alloc_evictable(alloc)) continue;
        if (!victim || victim_before(alloc, victim)) victim = alloc;
    }
    return victim;
}

/* Places the allocation in the local segment, evicting others while that
 * can make room; gpu->lock held. */
static NTSTATUS place_evicting(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                               struct range_block **block)
{
    struct vidmm_allocation *victim;
    NTSTATUS status;

    while ((status = place_local(mm, gpu, alloc, block)) == STATUS_GRAPHICS_NO_VIDEO_MEMORY)
    {
        if (alloc->size > gpu->local_budget || !(victim = pick_victim(gpu, alloc))) break;
        /* A victim locked meanwhile is skipped by the next pick. */
        if ((status = gpu_evict(mm, gpu, victim)) && status != STATUS_GRAPHICS_ALLOCATION_BUSY) break;
    }
    return status;
}

NTSTATUS gpu_restore(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    struct range_block *block;
    NTSTATUS status;

    if (alloc->dead || alloc->location != VIDMM_LOC_SYSTEM || alloc->group != VIDMM_SEGMENT_GROUP_LOCAL
        || !alloc->backing)
        return STATUS_SUCCESS;
    pthread_mutex_lock(&alloc->lock);
    if (alloc->lock_count)
    {
        /* Never move a locked allocation: its CPU address must stay valid. */
        alloc->wants_restore = 1;
        pthread_mutex_unlock(&alloc->lock);
        return STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&alloc->lock);
    if ((status = place_evicting(mm, gpu, alloc, &block))) return status;
    pthread_mutex_lock(&alloc->lock);
    /* Never written, or a lost backing store: the fresh local pages are zero, as its content. */
    if (alloc->written && !alloc->backing_lost)
        memcpy(gpu->local.base + block->offset * VIDMM_PAGE_SIZE, alloc->backing, alloc->size);
    backing_release(mm, gpu, alloc);
    enter_local(gpu, alloc, block);
    alloc->wants_restore = 0;
    pthread_mutex_unlock(&alloc->lock);
    return STATUS_SUCCESS;
}

void gpu_trim_to_budget(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    struct vidmm_allocation *victim;
    uint64_t usage = gpu->local.usage;
    struct vidmm_list *e;

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

NTSTATUS gpu_place_new(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    struct range_block *block;
    NTSTATUS status;

    /* Too large to ever live in its segment: refused before reserving
     * anything (Wine keeps bookkeeping for every page ever reserved). */
    if (alloc->group == VIDMM_SEGMENT_GROUP_LOCAL && alloc->size > gpu->local.size)
        return STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL && alloc->size > gpu->nonlocal.size - gpu->nonlocal.usage)
        return STATUS_NO_MEMORY;
    if (alloc->location == VIDMM_LOC_USER)
    {
        gpu->nonlocal.usage += alloc->size;
        return STATUS_SUCCESS;
    }
    if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL)
    {
        if ((status = backing_create(mm, gpu, alloc->size, STATUS_NO_MEMORY, &alloc->backing))) return status;
        alloc->location = VIDMM_LOC_SYSTEM;
        gpu->backing_bytes += alloc->size;
        gpu->nonlocal.usage += alloc->size;
        return STATUS_SUCCESS;
    }

    status = place_evicting(mm, gpu, alloc, &block);
    if (!status)
    {
        enter_local(gpu, alloc, block);
        return STATUS_SUCCESS;
    }
    if (status != STATUS_GRAPHICS_NO_VIDEO_MEMORY || alloc_pinned(alloc)) return status;

    /* Video memory is over-committed: start out in a backing store. */
    if ((status = backing_create(mm, gpu, alloc->size, STATUS_GRAPHICS_NO_VIDEO_MEMORY, &alloc->backing))) return status;
    alloc->location = VIDMM_LOC_SYSTEM;
    gpu->backing_bytes += alloc->size;
    return STATUS_SUCCESS;
}

void gpu_release(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    if (alloc->residency_count && alloc->group == VIDMM_SEGMENT_GROUP_LOCAL && !alloc_pinned(alloc))
        gpu->residency_claim -= alloc->size;
    alloc->residency_count = 0;
    switch (alloc->location)
    {
    case VIDMM_LOC_LOCAL:
        leave_local(mm, gpu, alloc);
        break;
    case VIDMM_LOC_SYSTEM:
        if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL) gpu->nonlocal.usage -= alloc->size;
        break;
    case VIDMM_LOC_USER:
        gpu->nonlocal.usage -= alloc->size;
        break;
    case VIDMM_LOC_NONE:
        break;
    }
    backing_release(mm, gpu, alloc);
    /* Nothing is where it was: a call that still holds a reference must not find it there. */
    alloc->location = VIDMM_LOC_NONE;
}
