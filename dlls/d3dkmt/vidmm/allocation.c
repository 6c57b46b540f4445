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
 * Allocation and resource lifetime: CreateAllocation(2), DestroyAllocation(2).
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

#define DEFAULT_PRIORITY 0x78000000u   /* D3DDDI_ALLOCATIONPRIORITY_NORMAL */

/* What the "driver" decided from one allocation's private data. */
struct alloc_plan
{
    uint64_t size, align_pages;
    uint32_t group, desc_flags, priority;
};

static int is_pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

/* Parses our WKMA descriptor (d3dkmt_driver.h). */
static NTSTATUS parse_descriptor(const struct vidmm_alloc_info *info, struct alloc_plan *plan)
{
    D3DKMT_WINE_ALLOCATION_DESC desc;

    if (info->private_size < sizeof(desc) || info->private_size > D3DKMT_WINE_MAX_PRIVATE_DATA
        || !info->private_data)
        return STATUS_INVALID_PARAMETER;
    memcpy(&desc, (const void *)(uintptr_t)info->private_data, sizeof(desc));
    if (desc.Magic != D3DKMT_WINE_ALLOC_MAGIC || desc.Version != D3DKMT_WINE_ALLOC_VERSION)
        return STATUS_INVALID_PARAMETER;
    if (desc.Flags & ~D3DKMT_WINE_ALLOC_FLAGS_VALID) return STATUS_INVALID_PARAMETER;
    if (desc.SegmentGroup > D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL) return STATUS_INVALID_PARAMETER;
    if (desc.Alignment && (!is_pow2(desc.Alignment) || desc.Alignment < VIDMM_PAGE_SIZE))
        return STATUS_INVALID_PARAMETER;
    if (!desc.Size || desc.Size > UINT64_MAX - VIDMM_PAGE_SIZE) return STATUS_INVALID_PARAMETER;

    plan->size = (desc.Size + VIDMM_PAGE_SIZE - 1) & ~(VIDMM_PAGE_SIZE - 1);
    plan->align_pages = desc.Alignment ? desc.Alignment / VIDMM_PAGE_SIZE : 1;
    plan->group = desc.SegmentGroup;
    plan->desc_flags = desc.Flags;
    plan->priority = desc.Priority ? desc.Priority : DEFAULT_PRIORITY;
    return STATUS_SUCCESS;
}

/* Checks everything that does not depend on object state. */
static NTSTATUS validate_create(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                                struct alloc_plan *plans)
{
    const struct vidmm_alloc_info *infos = (const struct vidmm_alloc_info *)(uintptr_t)args->allocs;
    uint32_t flags = args->flags, i, info_flags_valid;
    NTSTATUS status;

    if (!args->count || args->count > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL || !infos)
        return STATUS_INVALID_PARAMETER;
    if (flags & ~VIDMM_CREATE_FLAGS_DEFINED) return STATUS_INVALID_PARAMETER;
    if (flags & VIDMM_CREATE_FLAGS_KERNEL_ONLY) return STATUS_INVALID_PARAMETER;
    if ((flags & VIDMM_CREATE_SHARED) && !(flags & VIDMM_CREATE_RESOURCE)) return STATUS_INVALID_PARAMETER;
    if ((flags & VIDMM_CREATE_NT_SECURITY) && !(flags & VIDMM_CREATE_SHARED)) return STATUS_INVALID_PARAMETER;
    if (args->runtime_size > D3DKMT_WINE_MAX_PRIVATE_DATA || (args->runtime_size && !args->runtime_data))
        return STATUS_INVALID_PARAMETER;

    if (flags & (VIDMM_CREATE_STANDARD | VIDMM_CREATE_EXISTING_SYSMEM | VIDMM_CREATE_EXISTING_SECTION))
    {
        /* Standard allocations: the rules observed on Windows (spec B.3.1). */
        if (!(flags & VIDMM_CREATE_STANDARD) || !(flags & VIDMM_CREATE_EXISTING_SYSMEM)) return STATUS_INVALID_PARAMETER;
        if (flags & VIDMM_CREATE_EXISTING_SECTION) return STATUS_INVALID_PARAMETER;
        if (args->standard_type != VIDMM_STANDARD_EXISTINGHEAP || args->standard_flags) return STATUS_INVALID_PARAMETER;
        if (args->count != 1 || args->resource_size || args->resource) return STATUS_INVALID_PARAMETER;
        if (!infos[0].system_mem || infos[0].system_mem & (VIDMM_PAGE_SIZE - 1)) return STATUS_INVALID_PARAMETER;
        if (!args->standard_heap_size || args->standard_heap_size & (VIDMM_PAGE_SIZE - 1)) return STATUS_INVALID_PARAMETER;
        /* [WIN] per-allocation driver data is accepted; the kernel makes up the
         * driver's data itself, so the caller's bytes are not stored. */
        if (infos[0].flags) return STATUS_INVALID_PARAMETER;
        if (infos[0].private_size > D3DKMT_WINE_MAX_PRIVATE_DATA || (infos[0].private_size && !infos[0].private_data))
            return STATUS_INVALID_PARAMETER;
        if (mm->ops.check_user_range(mm->ops.ctx, infos[0].system_mem, args->standard_heap_size))
            return STATUS_INVALID_PARAMETER;
        plans[0].size = args->standard_heap_size;
        plans[0].align_pages = 1;
        plans[0].group = VIDMM_SEGMENT_GROUP_NON_LOCAL;
        plans[0].desc_flags = D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE;
        plans[0].priority = DEFAULT_PRIORITY;
        return STATUS_SUCCESS;
    }

    if (args->resource_size > D3DKMT_WINE_MAX_PRIVATE_DATA || (args->resource_size && !args->resource_data))
        return STATUS_INVALID_PARAMETER;
    info_flags_valid = VIDMM_ALLOC_PRIMARY | VIDMM_ALLOC_STEREO | (args->info2 ? VIDMM_ALLOC_OVERRIDE_PRIORITY : 0);
    for (i = 0; i < args->count; i++)
    {
        const struct vidmm_alloc_info *info = &infos[i];

        if (info->flags & ~info_flags_valid) return STATUS_INVALID_PARAMETER;
        if ((info->flags & VIDMM_ALLOC_STEREO) && !(info->flags & VIDMM_ALLOC_PRIMARY)) return STATUS_INVALID_PARAMETER;
        if ((status = parse_descriptor(info, &plans[i]))) return status;
        if (info->flags & VIDMM_ALLOC_OVERRIDE_PRIORITY)
        {
            if (!info->priority) return STATUS_INVALID_PARAMETER;  /* 0 is not a valid priority */
            plans[i].priority = info->priority;
        }
        if (info->system_mem)
        {
            /* Caller-provided system memory backs it: page-aligned, mapped, writable. */
            if (info->system_mem & (VIDMM_PAGE_SIZE - 1)) return STATUS_INVALID_PARAMETER;
            if (info->flags & VIDMM_ALLOC_PRIMARY) return STATUS_INVALID_PARAMETER;
            if (mm->ops.check_user_range(mm->ops.ctx, info->system_mem, plans[i].size))
                return STATUS_INVALID_PARAMETER;
            plans[i].group = VIDMM_SEGMENT_GROUP_NON_LOCAL;
        }
    }
    return STATUS_SUCCESS;
}

static void *copy_blob(uint64_t data, uint32_t size, int *failed)
{
    void *copy;

    *failed = 0;
    if (!size) return NULL;
    if (!(copy = vidmm_malloc(size))) *failed = 1;
    else memcpy(copy, (const void *)(uintptr_t)data, size);
    return copy;
}

struct vidmm_allocation *allocation_alloc(struct vidmm_device *device, struct vidmm_resource *resource, int extended)
{
    struct vidmm_allocation *alloc;

    if (!(alloc = alloc_store_new(device->adapter->gpu->allocs, extended))) return NULL;
    alloc->obj.type = VIDMM_OBJECT_ALLOCATION;
    atomic_init(&alloc->obj.refs, 1);
    /* Released when the allocation is freed. */
    if (resource) atomic_fetch_add(&resource->obj.refs, 1);
    else atomic_fetch_add(&device->obj.refs, 1);
    alloc->owner = resource ? (void *)resource : (void *)device;
    alloc->in_resource = !!resource;
    vidmm_mutex_init(&alloc->lock, VIDMM_RANK_ALLOC);
    return alloc;
}

static struct vidmm_allocation *allocation_new(struct vidmm_device *device, struct vidmm_resource *resource,
                                               const struct vidmm_alloc_info *info, const struct alloc_plan *plan,
                                               uint32_t create_flags)
{
    struct vidmm_allocation_ext *ext;
    struct vidmm_allocation *alloc;
    void *private_data = NULL;
    int failed = 0;

    /* Nothing else reads it back: a copy per allocation would be 48 bytes of
     * a million allocations' metadata for nothing. */
    if (create_flags & VIDMM_CREATE_SHARED)
    {
        private_data = copy_blob(info->private_data, info->private_size, &failed);
        if (failed) return NULL;
    }
    /* Only shared ones and those in caller memory carry the extension. */
    if (!(alloc = allocation_alloc(device, resource, (create_flags & VIDMM_CREATE_SHARED) || info->system_mem)))
    {
        vidmm_free(private_data);
        return NULL;
    }
    if ((ext = alloc_ext(alloc)))
    {
        ext->user_mem = info->system_mem;
        ext->private_data = private_data;
        if (create_flags & VIDMM_CREATE_SHARED) ext->private_size = info->private_size;
    }
    alloc->size = plan->size;
    alloc->align_shift = __builtin_ctzll(plan->align_pages);   /* a power of two (validated) */
    alloc->group = plan->group;
    alloc->desc_flags = plan->desc_flags;
    alloc->priority = plan->priority;
    alloc->info_flags = info->flags;
    alloc->location = info->system_mem ? VIDMM_LOC_USER : VIDMM_LOC_SYSTEM;
    return alloc;
}

/* What one CreateAllocation call works on, from lookup to publishing. */
struct create_state
{
    struct vidmm_device *device;
    struct vidmm_resource *resource;       /* the existing one it adds to */
    struct vidmm_resource *new_resource;   /* the one it creates */
    struct alloc_plan *plans;
    struct vidmm_allocation **allocs;
    struct vidmm_alloc_info standard_info;
    D3DKMT_WINE_ALLOCATION_DESC standard_desc;
};

/* Validate, objects: the device and the resource the call names. */
static NTSTATUS create_lookup(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                              struct create_state *st)
{
    NTSTATUS status;

    if (!(st->device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if ((status = device_check(st->device))) return status;
    if (args->resource && !(st->resource = vidmm_get(mm, args->resource, VIDMM_OBJECT_RESOURCE)))
        return STATUS_INVALID_HANDLE;
    if (st->resource && ((args->flags & VIDMM_CREATE_RESOURCE) || st->resource->device != st->device
                         || (st->resource->flags & VIDMM_CREATE_SHARED)))
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

/* Validate, arguments: one plan per allocation. */
static NTSTATUS create_validate(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                                struct create_state *st)
{
    if (args->count && args->count <= D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL
        && !(st->plans = vidmm_calloc(args->count, sizeof(*st->plans))))
        return STATUS_NO_MEMORY;
    return validate_create(mm, args, st->plans);
}

/* As Windows' kernel does for standard allocations, the "driver" makes up
 * the private data: our descriptor of the wrapped memory. */
static void make_standard_info(struct create_state *st, const struct vidmm_alloc_info *info)
{
    memset(&st->standard_desc, 0, sizeof(st->standard_desc));
    st->standard_desc.Magic = D3DKMT_WINE_ALLOC_MAGIC;
    st->standard_desc.Version = D3DKMT_WINE_ALLOC_VERSION;
    st->standard_desc.Size = st->plans[0].size;
    st->standard_desc.SegmentGroup = D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL;
    st->standard_desc.Flags = D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE;
    st->standard_info = *info;
    st->standard_info.private_data = (uintptr_t)&st->standard_desc;
    st->standard_info.private_size = sizeof(st->standard_desc);
}

static struct vidmm_resource *resource_new(struct vidmm *mm, struct vidmm_device *device,
                                           const struct vidmm_create_allocation_args *args)
{
    struct vidmm_resource *res;
    int failed;

    if (!(res = vidmm_calloc(1, sizeof(*res)))) return NULL;
    res->obj.type = VIDMM_OBJECT_RESOURCE;
    atomic_init(&res->obj.refs, 1);
    atomic_fetch_add(&device->obj.refs, 1);
    res->device = device;
    res->flags = args->flags;
    ilist_init(&res->allocations);
    list_init(&res->entry);
    res->runtime_data = copy_blob(args->runtime_data, args->runtime_size, &failed);
    if (failed) goto failed;
    res->runtime_size = args->runtime_size;
    if (!(args->flags & VIDMM_CREATE_STANDARD))
    {
        res->driver_data = copy_blob(args->resource_data, args->resource_size, &failed);
        if (failed) goto failed;
        res->driver_size = args->resource_size;
    }
    return res;

failed:
    vidmm_put(mm, res);
    return NULL;
}

/* Build: the objects, not yet visible to anyone. */
static NTSTATUS create_build(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                             struct create_state *st)
{
    const struct vidmm_alloc_info *infos = (const struct vidmm_alloc_info *)(uintptr_t)args->allocs;
    uint32_t i;

    if (!(st->allocs = vidmm_calloc(args->count, sizeof(*st->allocs)))) return STATUS_NO_MEMORY;
    if (args->flags & VIDMM_CREATE_STANDARD) make_standard_info(st, &infos[0]);
    if ((args->flags & VIDMM_CREATE_RESOURCE) && !(st->new_resource = resource_new(mm, st->device, args)))
        return STATUS_NO_MEMORY;
    for (i = 0; i < args->count; i++)
    {
        const struct vidmm_alloc_info *info = (args->flags & VIDMM_CREATE_STANDARD) ? &st->standard_info : &infos[i];
        if (!(st->allocs[i] = allocation_new(st->device, st->new_resource ? st->new_resource : st->resource, info,
                                             &st->plans[i], args->flags)))
            return STATUS_NO_MEMORY;
    }
    /* A shared resource's content lives in its share file from the start. */
    if (st->new_resource && (args->flags & VIDMM_CREATE_SHARED))
        return share_resource_create(mm, st->new_resource, st->allocs, args->count);
    return STATUS_SUCCESS;
}

/* Whether a value is taken in this process' table (for a prefix-wide pick). */
static int global_busy(void *ctx, uint32_t value)
{
    struct vidmm *mm = ctx;

    return handle_table_type(&mm->table, value) != VIDMM_OBJECT_NONE;
}

/* A legacy global handle: prefix-wide when the resource has a share file,
 * else one of this process' table. */
static NTSTATUS insert_global(struct vidmm *mm, struct vidmm_resource *res)
{
    NTSTATUS status;

    vidmm_assert_held(&mm->objects_lock);
    if (!res->share) return handle_table_insert(&mm->table, res, VIDMM_OBJECT_SHARED_RESOURCE, &res->global_share);
    if (!res->share->global
        && (status = mm->share_ops.publish_global(mm->share_ops.ctx, res->share, global_busy, mm)))
        return status;
    if ((status = handle_table_insert_value(&mm->table, res, VIDMM_OBJECT_SHARED_RESOURCE, res->share->global)))
        return status == STATUS_OBJECT_NAME_COLLISION ? STATUS_NO_MEMORY : status;
    res->global_share = res->share->global;
    share_header(res->share)->global_value = res->global_share;
    return STATUS_SUCCESS;
}

/* Resource handle first, then the allocations: consecutive handles as on
 * Windows; then the global share handle. */
static NTSTATUS create_insert_handles(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                                      struct create_state *st)
{
    struct vidmm_resource *res = st->new_resource;
    NTSTATUS status;
    uint32_t i;

    vidmm_assert_held(&mm->objects_lock);
    if (res && (status = handle_table_insert(&mm->table, res, VIDMM_OBJECT_RESOURCE, &res->obj.handle)))
        return status;
    for (i = 0; i < args->count; i++)
        if ((status = handle_table_insert(&mm->table, st->allocs[i], VIDMM_OBJECT_ALLOCATION,
                                          &st->allocs[i]->obj.handle)))
            return status;
    /* Legacy sharing: a global handle for the resource (NtSecuritySharing shares by NT handle instead). */
    if (res && (args->flags & VIDMM_CREATE_SHARED) && !(args->flags & VIDMM_CREATE_NT_SECURITY))
        return insert_global(mm, res);
    return STATUS_SUCCESS;
}

/* Roll back what create_insert_handles did. */
static void create_remove_handles(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                                  struct create_state *st)
{
    struct vidmm_resource *res = st->new_resource;
    uint32_t i;

    vidmm_assert_held(&mm->objects_lock);
    for (i = 0; i < args->count; i++)
        if (st->allocs[i] && st->allocs[i]->obj.handle)
        {
            handle_table_remove(&mm->table, st->allocs[i]->obj.handle, VIDMM_OBJECT_ALLOCATION);
            st->allocs[i]->obj.handle = 0;
        }
    if (res && res->obj.handle) handle_table_remove(&mm->table, res->obj.handle, VIDMM_OBJECT_RESOURCE);
    if (res && res->global_share) handle_table_remove(&mm->table, res->global_share, VIDMM_OBJECT_SHARED_RESOURCE);
}

/* Memory for every allocation, or for none. */
static NTSTATUS create_place(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                             struct create_state *st)
{
    struct vidmm_gpu *gpu = st->device->adapter->gpu;
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i;

    vidmm_mutex_lock(&gpu->lock);
    for (i = 0; i < args->count; i++)
    {
        if ((status = gpu_place_new(mm, gpu, st->allocs[i])))
        {
            /* allocs[i] holds nothing; give back what the earlier ones got. */
            while (i--) gpu_release(mm, gpu, st->allocs[i]);
            break;
        }
    }
    vidmm_mutex_unlock(&gpu->lock);
    return status;
}

/* Roll back create_place. */
static void create_unplace(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                           struct create_state *st)
{
    struct vidmm_gpu *gpu = st->device->adapter->gpu;
    uint32_t i;

    vidmm_mutex_lock(&gpu->lock);
    for (i = 0; i < args->count; i++) gpu_release(mm, gpu, st->allocs[i]);
    vidmm_mutex_unlock(&gpu->lock);
}

/* A small non-local allocation on fresh pages leaves its first Lock
 * nothing to do (lock_locked: no clearing, no aperture, no eviction, and it
 * never moves), so that Lock may take the fast path too: the slot is armed
 * now, as the end of a first Lock would.  Its handle is published; like a
 * Lock, this runs under alloc->lock alone.  Not with fault injection, which
 * must see every Lock; not for large ones, whose written pages are reset at
 * release. */
static void create_arm_fresh(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    if (mm->faults || !alloc_gpu(alloc)->fast || alloc->group != VIDMM_SEGMENT_GROUP_NON_LOCAL
        || alloc->size >= VIDMM_HEAP_RESET_MIN)
        return;
    vidmm_mutex_lock(&alloc->lock);
    if (alloc->location == VIDMM_LOC_SYSTEM && !alloc->dead && !alloc->offered && !alloc->lock_count
        && !alloc->locked_once && alloc_memory_zero(alloc))
    {
        alloc->written = 1;
        alloc->locked_once = 1;
        fastlock_arm_if_idle(mm, alloc, alloc_address(alloc));   /* the rest of what a Lock's end checks */
    }
    vidmm_mutex_unlock(&alloc->lock);
}

/* Publish: memory, handles, then the lists; all or nothing. */
static NTSTATUS create_publish(struct vidmm *mm, struct vidmm_create_allocation_args *args, struct create_state *st)
{
    struct vidmm_alloc_info *infos = (struct vidmm_alloc_info *)(uintptr_t)args->allocs;
    struct vidmm_resource *res = st->new_resource;
    NTSTATUS status;
    uint32_t i;

    vidmm_mutex_lock(&mm->objects_lock);
    if (st->device->dead || (st->resource && st->resource->dead)) status = STATUS_INVALID_PARAMETER;
    /* Memory first: its bookkeeping may fail too, and handle values are burnt once handed out. */
    else if (!(status = create_place(mm, args, st)) && (status = create_insert_handles(mm, args, st)))
        create_unplace(mm, args, st);
    if (status)
    {
        create_remove_handles(mm, args, st);
        vidmm_mutex_unlock(&mm->objects_lock);
        return status;
    }
    if (res) list_add_tail(&st->device->resources, &res->entry);
    for (i = 0; i < args->count; i++)
    {
        struct vidmm_resource *owner = alloc_resource(st->allocs[i]);
        ilist_add_tail(&mm->allocs, owner ? &owner->allocations : &st->device->allocations, st->allocs[i],
                       ALLOC_ENTRY);
        infos[i].handle = st->allocs[i]->obj.handle;
        infos[i].gpu_va = 0;
        create_arm_fresh(mm, st->allocs[i]);
    }
    vidmm_mutex_unlock(&mm->objects_lock);
    if (res) args->resource = res->obj.handle;
    args->global_share = res ? res->global_share : 0;
    return STATUS_SUCCESS;
}

/* Roll back: drop everything built; nothing of it was published. */
static void create_discard(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                           struct create_state *st)
{
    uint32_t i;

    if (st->allocs)
        for (i = 0; i < args->count; i++) vidmm_put(mm, st->allocs[i]);
    vidmm_put(mm, st->new_resource);
}

/* Fault injection (faults.c) for a call that passed validation: its bytes,
 * and whether it asks for local memory. */
static NTSTATUS create_faults(struct vidmm *mm, const struct vidmm_create_allocation_args *args,
                              const struct create_state *st, uint64_t *bytes)
{
    int local = 0;
    uint32_t i;

    *bytes = 0;
    if (!mm->faults) return STATUS_SUCCESS;
    for (i = 0; i < args->count; i++)
    {
        *bytes += st->plans[i].size;
        if (st->plans[i].group == VIDMM_SEGMENT_GROUP_LOCAL) local = 1;
    }
    return faults_create(mm->faults, *bytes, local);
}

NTSTATUS vidmm_create_allocation(struct vidmm *mm, struct vidmm_create_allocation_args *args)
{
    struct create_state st = {0};
    uint64_t fault_bytes;
    NTSTATUS status;

    if ((status = create_lookup(mm, args, &st)) || (status = create_validate(mm, args, &st))
        || (status = create_faults(mm, args, &st, &fault_bytes)))
        goto done;
    if ((status = create_build(mm, args, &st)) || (status = create_publish(mm, args, &st)))
    {
        create_discard(mm, args, &st);
        faults_create_failed(mm->faults, fault_bytes);
    }
done:
    vidmm_free(st.allocs);
    vidmm_free(st.plans);
    vidmm_put(mm, st.resource);
    vidmm_put(mm, st.device);
    return status;
}

/* ---- destruction ---- */

/* Releases the memory of an allocation that owns some. */
static void release_memory(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    struct vidmm_gpu *gpu = alloc_gpu(alloc);

    vidmm_assert_held(&mm->objects_lock);
    vidmm_mutex_lock(&gpu->lock);
    pager_cancel(gpu, alloc);
    alloc_lock(alloc);
    fastlock_release(alloc);
    alloc->dead = 1;
    alloc->lock_count = 0;   /* an allocation still locked is unlocked implicitly */
    if (alloc->aperture) atomic_fetch_sub(&gpu->apertures_used, 1);
    alloc->aperture = 0;
    vidmm_mutex_unlock(&alloc->lock);
    gpu_release(mm, gpu, alloc);
    vidmm_mutex_unlock(&gpu->lock);
}

/* Frees the allocation's handle and, unless aliases still use it, its memory;
 * its handle already removed from the table. */
void allocation_destroy(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    struct vidmm_allocation *target = alloc_alias_of(alloc);

    vidmm_assert_held(&mm->objects_lock);
    ilist_remove(&mm->allocs, alloc_owner_list(alloc), alloc, ALLOC_ENTRY);
    if (target)
    {
        /* An alias: the last one gone frees an orphaned creator's memory. */
        alloc_lock(alloc);
        alloc->dead = 1;
        vidmm_mutex_unlock(&alloc->lock);
        if (!--alloc_ext(target)->aliases && target->orphaned)
        {
            release_memory(mm, target);
            vidmm_put(mm, target);   /* the orphan's reference */
        }
    }
    else if (alloc->extended && alloc_ext(alloc)->aliases)
    {
        /* Its own handle is gone: no fast lock through it, and never again
         * (lock.c arms no orphan, and reads the flag under alloc->lock). */
        alloc_lock(alloc);
        alloc->orphaned = 1;     /* keeps the table's reference until the aliases go */
        fastlock_release(alloc);
        vidmm_mutex_unlock(&alloc->lock);
        return;
    }
    else release_memory(mm, alloc);
    vidmm_put(mm, alloc);
}

void resource_destroy(struct vidmm *mm, struct vidmm_resource *res)
{
    vidmm_assert_held(&mm->objects_lock);
    res->dead = 1;
    if (res->global_share) handle_table_remove(&mm->table, res->global_share, VIDMM_OBJECT_SHARED_RESOURCE);
    res->global_share = 0;
    while (!ilist_empty(&res->allocations))
    {
        struct vidmm_allocation *alloc = ilist_first(&mm->allocs, &res->allocations);
        handle_table_remove(&mm->table, alloc->obj.handle, VIDMM_OBJECT_ALLOCATION);
        allocation_destroy(mm, alloc);
    }
    list_remove(&res->entry);
    vidmm_put(mm, res);
}

void device_destroy_contents(struct vidmm *mm, struct vidmm_device *device)
{
    vidmm_assert_held(&mm->objects_lock);
    while (!list_empty(&device->resources))
    {
        struct vidmm_resource *res = LIST_ENTRY(device->resources.next, struct vidmm_resource, entry);
        handle_table_remove(&mm->table, res->obj.handle, VIDMM_OBJECT_RESOURCE);
        resource_destroy(mm, res);
    }
    while (!ilist_empty(&device->allocations))
    {
        struct vidmm_allocation *alloc = ilist_first(&mm->allocs, &device->allocations);
        handle_table_remove(&mm->table, alloc->obj.handle, VIDMM_OBJECT_ALLOCATION);
        allocation_destroy(mm, alloc);
    }
}

NTSTATUS vidmm_destroy_allocation(struct vidmm *mm, const struct vidmm_destroy_allocation_args *args)
{
    const uint32_t *handles = (const uint32_t *)(uintptr_t)args->handles;
    struct vidmm_allocation **allocs = NULL;
    struct vidmm_resource *resource = NULL, *owner = NULL;
    struct vidmm_device *device;
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i, j;

    if (args->flags & ~VIDMM_DESTROY_FLAGS_VALID) return STATUS_INVALID_PARAMETER;
    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if (!args->resource)
    {
        if (!args->count) goto done;   /* nothing to do: success, as on Windows */
        if (!handles || args->count > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL)
        {
            status = STATUS_INVALID_PARAMETER;
            goto done;
        }
        if (!(allocs = vidmm_calloc(args->count, sizeof(*allocs))))
        {
            status = STATUS_NO_MEMORY;
            goto done;
        }
    }

    vidmm_mutex_lock(&mm->objects_lock);
    if (args->resource)
    {
        /* The list is ignored when a resource is named. */
        if (!(resource = handle_table_lookup(&mm->table, args->resource, VIDMM_OBJECT_RESOURCE, NULL))
            || resource->device != device)
            status = STATUS_INVALID_PARAMETER;
        else
        {
            handle_table_remove(&mm->table, args->resource, VIDMM_OBJECT_RESOURCE);
            resource_destroy(mm, resource);
        }
        vidmm_mutex_unlock(&mm->objects_lock);
        goto done;
    }
    /* Validate the whole list first, so a bad entry destroys nothing; a
     * mark (under objects_lock, needing no memory) finds a repeated one. */
    for (i = 0; i < args->count && !status; i++)
    {
        struct vidmm_allocation *alloc = handle_table_lookup(&mm->table, handles[i], VIDMM_OBJECT_ALLOCATION, NULL);

        if (!alloc || alloc_device(alloc) != device) status = STATUS_INVALID_PARAMETER;
        else if (i && alloc_resource(alloc) != owner) status = STATUS_INVALID_PARAMETER;
        else if (alloc->listed) status = STATUS_INVALID_PARAMETER;
        else alloc->listed = 1;
        owner = alloc ? alloc_resource(alloc) : NULL;
        allocs[i] = status ? NULL : alloc;
    }
    for (j = 0; j < i; j++) if (allocs[j]) allocs[j]->listed = 0;
    if (!status)
    {
        for (i = 0; i < args->count; i++)
        {
            handle_table_remove(&mm->table, handles[i], VIDMM_OBJECT_ALLOCATION);
            allocation_destroy(mm, allocs[i]);
        }
    }
    vidmm_mutex_unlock(&mm->objects_lock);

done:
    vidmm_free(allocs);
    vidmm_put(mm, device);
    return status;
}
