/*
 * CPU access: Lock, Lock2, Unlock, Unlock2.
 *
 * Locks nest and share one count per allocation; every nested lock returns
 * the same address.  A locked allocation never moves, so the address stays
 * valid until the last unlock.
 */
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

/* Whether the CPU can reach the allocation where it is now. */
static int cpu_reachable(const struct vidmm_allocation *alloc)
{
    if (alloc->location != VIDMM_LOC_LOCAL) return 1;
    return (alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE)
           && !(alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_SWIZZLED);
}

/* alloc->lock held.  Sets *move when the allocation must go to system memory first. */
static NTSTATUS lock_locked(struct vidmm_allocation *alloc, struct vidmm_lock_args *args, int *move)
{
    *move = 0;
    if (alloc->dead) return STATUS_INVALID_PARAMETER;
    if (alloc->lock_count >= D3DKMT_WINE_MAX_LOCK_REFERENCES) return STATUS_GRAPHICS_TOO_MANY_REFERENCES;
    if (!alloc->lock_count)
    {
        if (!cpu_reachable(alloc))
        {
            *move = 1;
            return STATUS_PENDING;
        }
        alloc->cpu_ptr = alloc_address(alloc);
    }
    alloc->lock_count++;
    args->data = (uintptr_t)alloc->cpu_ptr;
    args->gpu_va = 0;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_lock(struct vidmm *mm, struct vidmm_lock_args *args)
{
    const uint32_t *pages = (const uint32_t *)(uintptr_t)args->pages;
    struct vidmm_allocation *alloc;
    struct vidmm_device *device;
    NTSTATUS status;
    uint64_t page_count;
    uint32_t i;
    int move;

    if ((status = check_lock_flags(args))) return status;
    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if (!(alloc = vidmm_get(mm, args->allocation, VIDMM_OBJECT_ALLOCATION)) || alloc->device != device)
    {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
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

    pthread_mutex_lock(&alloc->lock);
    status = lock_locked(alloc, args, &move);
    pthread_mutex_unlock(&alloc->lock);
    if (!move) goto done;

    /* Not reachable in video memory: it has to move to system memory. */
    if (alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_PINNED || alloc->info_flags & VIDMM_ALLOC_PRIMARY)
        status = STATUS_GRAPHICS_CANT_EVICT_PINNED_ALLOCATION;
    else if (args->flags & VIDMM_LOCK_DONOT_EVICT)
        status = STATUS_GRAPHICS_ALLOCATION_BUSY;
    else
    {
        pthread_mutex_lock(&alloc->gpu->lock);
        status = alloc->dead ? STATUS_INVALID_PARAMETER : gpu_evict(mm, alloc->gpu, alloc);
        if (!status)
        {
            pthread_mutex_lock(&alloc->lock);
            status = lock_locked(alloc, args, &move);
            pthread_mutex_unlock(&alloc->lock);
        }
        pthread_mutex_unlock(&alloc->gpu->lock);
    }

done:
    vidmm_put(mm, alloc);
    vidmm_put(mm, device);
    return status;
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
    struct vidmm_device *device;
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i, j, runs;

    if (!args->count || !handles || args->count > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL)
        return STATUS_INVALID_PARAMETER;
    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;

    if (args->count == 1)
    {
        /* The common case, without the sorting below. */
        if (!(one = vidmm_get(mm, handles[0], VIDMM_OBJECT_ALLOCATION)) || one->device != device)
            status = STATUS_INVALID_PARAMETER;
        else
        {
            pthread_mutex_lock(&one->lock);
            if (one->dead || !one->lock_count) status = STATUS_INVALID_PARAMETER;
            else if (!--one->lock_count) one->cpu_ptr = NULL;
            pthread_mutex_unlock(&one->lock);
        }
        vidmm_put(mm, one);
        vidmm_put(mm, device);
        return status;
    }

    if (!(allocs = vidmm_calloc(args->count, sizeof(*allocs))))
    {
        vidmm_put(mm, device);
        return STATUS_NO_MEMORY;
    }
    for (i = 0; i < args->count && !status; i++)
        if (!(allocs[i] = vidmm_get(mm, handles[i], VIDMM_OBJECT_ALLOCATION)) || allocs[i]->device != device)
            status = STATUS_INVALID_PARAMETER;
    if (status) goto done;

    /* All or nothing: hold every allocation's lock (in address order, so no
     * deadlock) while checking that each is locked often enough. */
    qsort(allocs, args->count, sizeof(*allocs), compare_ptr);
    for (i = 0; i < args->count; i++)
        if (!i || allocs[i] != allocs[i - 1]) pthread_mutex_lock(&allocs[i]->lock);
    for (i = 0; i < args->count && !status; i = j)
    {
        for (j = i, runs = 0; j < args->count && allocs[j] == allocs[i]; j++) runs++;
        if (allocs[i]->dead || allocs[i]->lock_count < runs) status = STATUS_INVALID_PARAMETER;
    }
    for (i = 0; i < args->count; i++)
    {
        if (!status && !--allocs[i]->lock_count) allocs[i]->cpu_ptr = NULL;
        if (i + 1 == args->count || allocs[i + 1] != allocs[i]) pthread_mutex_unlock(&allocs[i]->lock);
    }

done:
    for (i = 0; i < args->count; i++) vidmm_put(mm, allocs[i]);
    vidmm_free(allocs);
    vidmm_put(mm, device);
    return status;
}
