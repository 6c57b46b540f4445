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
 * Layer 1, objects and handles: lookup with a reference, release, the
 * teardown run when the last reference goes, and the lookups every call
 * shares (a device, a list of allocations).
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

static void grab(void *object)
{
    atomic_fetch_add(&((struct vidmm_object *)object)->refs, 1);
}

void *vidmm_get(struct vidmm *mm, uint32_t handle, enum vidmm_object_type type)
{
    if (!handle) return NULL;
    return handle_table_lookup(&mm->table, handle, type, grab);
}

static void free_object(struct vidmm *mm, struct vidmm_object *obj)
{
    void *owner;

    switch (obj->type)
    {
    case VIDMM_OBJECT_ADAPTER:
        /* The adapter layer's hook: GPUs are above this layer. */
        mm->release_gpu(mm, ((struct vidmm_adapter *)obj)->gpu);
        break;
    case VIDMM_OBJECT_DEVICE:
        vidmm_put(mm, ((struct vidmm_device *)obj)->adapter);
        break;
    case VIDMM_OBJECT_PAGING_QUEUE:
        vidmm_put(mm, ((struct vidmm_paging_queue *)obj)->device);
        break;
    case VIDMM_OBJECT_RESOURCE:
    {
        struct vidmm_resource *res = (struct vidmm_resource *)obj;
        vidmm_free(res->runtime_data);
        vidmm_free(res->driver_data);
        if (res->share) share_unref(mm, res->share);
        vidmm_put(mm, res->device);
        break;
    }
    case VIDMM_OBJECT_ALLOCATION:
    {
        struct vidmm_allocation *alloc = (struct vidmm_allocation *)obj;
        struct vidmm_allocation_ext *ext = alloc_ext(alloc);

        vidmm_mutex_destroy(&alloc->lock);
        if (ext)
        {
            vidmm_free(ext->private_data);
            if (ext->share) share_unref(mm, ext->share);
            vidmm_put(mm, ext->target);
        }
        /* Not vidmm_free: it came from the slab. */
        owner = alloc->owner;
        alloc_store_free(&mm->allocs, alloc);
        vidmm_put(mm, owner);
        return;
    }
    default:
        break;
    }
    vidmm_free(obj);
}

void vidmm_put(struct vidmm *mm, void *object)
{
    struct vidmm_object *obj = object;

    if (obj && atomic_fetch_sub(&obj->refs, 1) == 1) free_object(mm, obj);
}

void device_fault_check(struct vidmm_device *device)
{
    int expected = VIDMM_EXECUTION_ACTIVE;

    if (!device->faults || !faults_device_removed(device->faults, device->faults_epoch)) return;
    /* As after a TDR: the device must be destroyed and made again. */
    if (atomic_compare_exchange_strong(&device->exec_state, &expected, VIDMM_EXECUTION_RESET))
        faults_log(device->faults, "injected STATUS_DEVICE_REMOVED: device %#x reset", device->obj.handle);
}

NTSTATUS device_check(const struct vidmm_device *device)
{
    if (device->faults) device_fault_check((struct vidmm_device *)device);
    if (device->adapter->gpu->removed) return STATUS_DEVICE_REMOVED;
    if (atomic_load(&((struct vidmm_device *)device)->exec_state) != VIDMM_EXECUTION_ACTIVE)
        return STATUS_DEVICE_REMOVED;
    return STATUS_SUCCESS;
}

struct vidmm_allocation *get_device_allocation(struct vidmm *mm, struct vidmm_device *device, uint32_t handle)
{
    struct vidmm_allocation *alloc = vidmm_get(mm, handle, VIDMM_OBJECT_ALLOCATION), *target;

    if (!alloc) return NULL;
    if (alloc_device(alloc) != device)
    {
        vidmm_put(mm, alloc);
        return NULL;
    }
    if (!(target = alloc_alias_of(alloc))) return alloc;
    /* Opened allocations act on the creator's memory. */
    atomic_fetch_add(&target->obj.refs, 1);
    vidmm_put(mm, alloc);
    return target;
}

NTSTATUS lookup_device_allocation(struct vidmm *mm, uint32_t device, uint32_t handle, int check,
                                  struct vidmm_allocation **out)
{
    struct vidmm_allocation *alloc, *target;
    NTSTATUS status;

    *out = NULL;
    if (!handle || !device || !(alloc = handle_table_lookup(&mm->table, handle, VIDMM_OBJECT_ALLOCATION, grab)))
        return STATUS_INVALID_PARAMETER;
    /* Its device is fixed and referenced through the allocation, and a device's
     * handle is written before the table can give the device out (so before
     * any allocation of it exists): reading it needs no device reference.
     * A device whose handle was just removed still matches until the same
     * teardown removes its allocations' handles: such a call is concurrent
     * with the destroy and simply ran before it. */
    if (alloc_device(alloc)->obj.handle != device) status = STATUS_INVALID_PARAMETER;
    else status = check ? device_check(alloc_device(alloc)) : STATUS_SUCCESS;   /* the caller's device, also for an opened one */
    if (status || !(target = alloc_alias_of(alloc)))
    {
        if (status) vidmm_put(mm, alloc);
        else *out = alloc;
        return status;
    }
    atomic_fetch_add(&target->obj.refs, 1);
    vidmm_put(mm, alloc);
    *out = target;
    return STATUS_SUCCESS;
}

void release_allocations(struct vidmm *mm, struct vidmm_allocation **allocs, uint32_t count)
{
    uint32_t i;

    if (!allocs) return;
    for (i = 0; i < count; i++) vidmm_put(mm, allocs[i]);
    vidmm_free(allocs);
}

int any_dead(struct vidmm_allocation **allocs, uint32_t count)
{
    uint32_t i;

    for (i = 0; i < count; i++)
    {
        vidmm_assert_held(&alloc_gpu(allocs[i])->lock);
        if (allocs[i]->dead) return 1;
    }
    return 0;
}

NTSTATUS resolve_allocations(struct vidmm *mm, struct vidmm_device *device, uint32_t resource,
                             const uint32_t *handles, uint32_t count, struct vidmm_allocation ***out,
                             uint32_t *out_count)
{
    struct vidmm_allocation **allocs;
    struct vidmm_allocation *alloc;
    struct vidmm_resource *res;
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i, n = 0;

    *out = NULL;
    *out_count = 0;
    if (resource)
    {
        vidmm_mutex_lock(&mm->objects_lock);
        if (!(res = handle_table_lookup(&mm->table, resource, VIDMM_OBJECT_RESOURCE, NULL)) || res->device != device)
        {
            vidmm_mutex_unlock(&mm->objects_lock);
            return STATUS_INVALID_PARAMETER;
        }
        for (alloc = ilist_first(&mm->allocs, &res->allocations); alloc;
             alloc = ilist_next(&mm->allocs, alloc, ALLOC_ENTRY))
            n++;
        if (!(allocs = vidmm_calloc(n ? n : 1, sizeof(*allocs))))
        {
            vidmm_mutex_unlock(&mm->objects_lock);
            return STATUS_NO_MEMORY;
        }
        for (alloc = ilist_first(&mm->allocs, &res->allocations), i = 0; alloc;
             alloc = ilist_next(&mm->allocs, alloc, ALLOC_ENTRY), i++)
        {
            allocs[i] = alloc_target(alloc);
            atomic_fetch_add(&allocs[i]->obj.refs, 1);
        }
        vidmm_mutex_unlock(&mm->objects_lock);
        *out = allocs;
        *out_count = n;
        return STATUS_SUCCESS;
    }

    if (!count || !handles || count > D3DKMT_WINE_MAX_HANDLES_PER_CALL) return STATUS_INVALID_PARAMETER;
    if (!(allocs = vidmm_calloc(count, sizeof(*allocs)))) return STATUS_NO_MEMORY;
    for (i = 0; i < count && !status; i++)
        if (!(allocs[i] = get_device_allocation(mm, device, handles[i]))) status = STATUS_INVALID_PARAMETER;
    if (status)
    {
        release_allocations(mm, allocs, count);
        return status;
    }
    *out = allocs;
    *out_count = count;
    return STATUS_SUCCESS;
}

NTSTATUS get_device(struct vidmm *mm, uint32_t handle, int paging_queue, struct vidmm_device **out)
{
    struct vidmm_paging_queue *queue;
    NTSTATUS status;

    if (paging_queue)
    {
        if (!(queue = vidmm_get(mm, handle, VIDMM_OBJECT_PAGING_QUEUE))) return STATUS_INVALID_PARAMETER;
        *out = queue->device;
        atomic_fetch_add(&queue->device->obj.refs, 1);
        vidmm_put(mm, queue);
    }
    else if (!(*out = vidmm_get(mm, handle, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if ((status = device_check(*out)))
    {
        vidmm_put(mm, *out);
        *out = NULL;
    }
    return status;
}

/* An open-addressing set of indices into allocs, keyed by the pointer:
 * one pass, so lists of thousands of handles cost linear time. */
NTSTATUS first_occurrences(struct vidmm_allocation **allocs, uint32_t count, uint32_t **out)
{
    uint32_t *first, *slots, size = 16, mask, i;

    *out = NULL;
    while (size < 2 * (uint64_t)count) size *= 2;
    mask = size - 1;
    if (!(first = vidmm_malloc((count ? count : 1) * sizeof(*first)))) return STATUS_NO_MEMORY;
    if (!(slots = vidmm_malloc(size * sizeof(*slots))))
    {
        vidmm_free(first);
        return STATUS_NO_MEMORY;
    }
    memset(slots, 0xff, size * sizeof(*slots));
    for (i = 0; i < count; i++)
    {
        uintptr_t key = (uintptr_t)allocs[i];
        uint32_t h = (uint32_t)((key >> 4) * 0x9e3779b1u) & mask;

        while (slots[h] != UINT32_MAX && allocs[slots[h]] != allocs[i]) h = (h + 1) & mask;
        if (slots[h] == UINT32_MAX) slots[h] = i;
        first[i] = slots[h];
    }
    vidmm_free(slots);
    *out = first;
    return STATUS_SUCCESS;
}
