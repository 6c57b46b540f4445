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
 * Legacy sharing: QueryResourceInfo and OpenResource(2) with a global handle.
 *
 * Opening gives the opener new local handles: a resource of its own and one
 * alias allocation per shared allocation, which lock the creator's memory
 * (the same CPU address) and keep it alive until the last alias goes.
 *
 * Across processes (and from an NT handle in any process) the opener maps
 * the resource's share file instead (share.c): its own resource and
 * allocations over its own view of the same pages (VIDMM_LOC_SHARED),
 * built from a checked copy of the file's descriptor.  A global handle not
 * in this process' table is looked up prefix-wide by the share provider.
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"
#include "sync_private.h"

/* The shared resource of a global handle, with a reference. */
static struct vidmm_resource *get_shared(struct vidmm *mm, uint32_t global_share)
{
    struct vidmm_resource *res;

    vidmm_assert_held(&mm->objects_lock);
    if (!global_share || !(res = handle_table_lookup(&mm->table, global_share, VIDMM_OBJECT_SHARED_RESOURCE, NULL)))
        return NULL;
    if (res->dead) return NULL;
    atomic_fetch_add(&res->obj.refs, 1);
    return res;
}

static void shared_sizes(struct vidmm_resource *res, uint32_t *count, uint64_t *total)
{
    const struct vidmm_alloc_store *store = res->device->adapter->gpu->allocs;
    struct vidmm_allocation *alloc;

    *count = 0;
    *total = 0;
    for (alloc = ilist_first(store, &res->allocations); alloc; alloc = ilist_next(store, alloc, ALLOC_ENTRY))
    {
        (*count)++;
        *total += alloc_private_size(alloc);
    }
}

static NTSTATUS open_global_file(struct vidmm *mm, uint32_t value, struct vidmm_share_file **file)
{
    if (!mm->share_ops.open_global || !value) return STATUS_INVALID_PARAMETER;
    return mm->share_ops.open_global(mm->share_ops.ctx, value, VIDMM_SHARE_KIND_RESOURCE, file);
}

NTSTATUS vidmm_query_resource_file(struct vidmm *mm, struct vidmm_share_file *file,
                                   struct vidmm_query_resource_args *args)
{
    struct vidmm_share_header h;
    struct vidmm_share_alloc *table;
    struct vidmm_device *device;
    NTSTATUS status;

    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if (!(status = device_check(device)) && !(status = share_resource_snapshot(file, &h, &table)))
    {
        if (h.luid != device->adapter->gpu->luid) status = STATUS_INVALID_PARAMETER;
        args->count = h.count;
        args->runtime_size = h.runtime_size;
        args->resource_driver_size = h.resource_size;
        args->total_driver_size = h.total_driver_size;
        vidmm_free(table);
    }
    vidmm_put(mm, device);
    return status;
}

NTSTATUS vidmm_query_resource(struct vidmm *mm, struct vidmm_query_resource_args *args)
{
    struct vidmm_resource *res;
    struct vidmm_device *device;
    NTSTATUS status = STATUS_SUCCESS;
    uint64_t total;

    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if ((status = device_check(device)))
    {
        vidmm_put(mm, device);
        return status;
    }
    vidmm_mutex_lock(&mm->objects_lock);
    /* A local resource handle is not a global one. */
    if (!(res = get_shared(mm, args->global_share)))
    {
        struct vidmm_share_file *file;

        vidmm_mutex_unlock(&mm->objects_lock);
        vidmm_put(mm, device);
        /* Another process' resource, or none. */
        if ((status = open_global_file(mm, args->global_share, &file))) return status;
        status = vidmm_query_resource_file(mm, file, args);
        vidmm_share_put(mm, file);
        return status;
    }
    else
    {
        shared_sizes(res, &args->count, &total);
        if (total > UINT32_MAX) status = STATUS_INTEGER_OVERFLOW;
        args->total_driver_size = (uint32_t)total;
        args->runtime_size = res->runtime_size;
        args->resource_driver_size = res->driver_size;
    }
    vidmm_mutex_unlock(&mm->objects_lock);
    vidmm_put(mm, res);
    vidmm_put(mm, device);
    return status;
}

/* What one OpenResource call works on. */
struct open_state
{
    struct vidmm_device *device;
    struct vidmm_resource *shared;       /* the creator's resource */
    struct vidmm_resource *opened;       /* the opener's new one */
    struct vidmm_allocation **aliases;   /* its allocations, until published */
    uint32_t count;
    uint64_t total;                      /* bytes of all allocations' driver data */
};

/* Validate: the device and the arguments that need no shared state. */
static NTSTATUS open_validate(const struct vidmm_open_resource_args *args, struct open_state *st)
{
    NTSTATUS status;

    if ((status = device_check(st->device))) return status;
    if (!args->count || !args->infos || args->count > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

static struct vidmm_allocation *alias_new(struct vidmm_device *device, struct vidmm_resource *opened)
{
    return allocation_alloc(device, opened, 1);
}

/* Build: everything is made before the objects lock, then published under it. */
static NTSTATUS open_build(const struct vidmm_open_resource_args *args, struct open_state *st)
{
    struct vidmm_resource *opened;
    uint32_t i;

    if (!(st->aliases = vidmm_calloc(args->count, sizeof(*st->aliases)))
        || !(opened = st->opened = vidmm_calloc(1, sizeof(*st->opened))))
        return STATUS_NO_MEMORY;
    opened->obj.type = VIDMM_OBJECT_RESOURCE;
    atomic_init(&opened->obj.refs, 1);
    atomic_fetch_add(&st->device->obj.refs, 1);
    opened->device = st->device;
    ilist_init(&opened->allocations);
    list_init(&opened->entry);
    for (i = 0; i < args->count; i++)
        if (!(st->aliases[i] = alias_new(st->device, opened))) return STATUS_NO_MEMORY;
    return STATUS_SUCCESS;
}

/* Validate against the shared resource. */
static NTSTATUS open_check_shared(struct vidmm *mm, const struct vidmm_open_resource_args *args,
                                  struct open_state *st)
{
    struct vidmm_resource *res;

    vidmm_assert_held(&mm->objects_lock);
    if (st->device->dead || !(res = st->shared = get_shared(mm, args->global_share))) return STATUS_INVALID_PARAMETER;
    shared_sizes(res, &st->count, &st->total);
    /* The two smaller buffers must match exactly; the total one may be larger. */
    if (args->count != st->count || args->runtime_size != res->runtime_size || args->resource_size != res->driver_size
        || (args->runtime_size && !args->runtime_data) || (args->resource_size && !args->resource_data)
        || !args->total_data || res->device->adapter->gpu != st->device->adapter->gpu)
        return STATUS_INVALID_PARAMETER;
    if (st->total > args->total_size) return STATUS_NO_MEMORY;
    return STATUS_SUCCESS;
}

/* The opener's handles, all or none. */
static NTSTATUS open_insert_handles(struct vidmm *mm, struct open_state *st)
{
    NTSTATUS status;
    uint32_t i;

    vidmm_assert_held(&mm->objects_lock);
    if ((status = handle_table_insert(&mm->table, st->opened, VIDMM_OBJECT_RESOURCE, &st->opened->obj.handle)))
        return status;
    for (i = 0; i < st->count; i++)
        if ((status = handle_table_insert(&mm->table, st->aliases[i], VIDMM_OBJECT_ALLOCATION,
                                          &st->aliases[i]->obj.handle)))
        {
            /* Roll back. */
            while (i--) handle_table_remove(&mm->table, st->aliases[i]->obj.handle, VIDMM_OBJECT_ALLOCATION);
            handle_table_remove(&mm->table, st->opened->obj.handle, VIDMM_OBJECT_RESOURCE);
            return status;
        }
    return STATUS_SUCCESS;
}

/* Before the handles are published: the new objects complete, each alias
 * linked to the creator's memory (a reference and a count on it), so that a
 * Lock through a handle the moment it is in the table acts on that memory. */
static void open_attach(struct vidmm *mm, struct open_state *st)
{
    struct vidmm_resource *res = st->shared, *opened = st->opened;
    struct vidmm_allocation *shared;
    uint32_t i;

    vidmm_assert_held(&mm->objects_lock);
    opened->flags = res->flags;
    opened->runtime_size = res->runtime_size;
    if (res->runtime_size) memcpy(opened->runtime_data, res->runtime_data, res->runtime_size);
    for (shared = ilist_first(&mm->allocs, &res->allocations), i = 0; shared;
         shared = ilist_next(&mm->allocs, shared, ALLOC_ENTRY), i++)
    {
        struct vidmm_allocation *target = alloc_target(shared);
        struct vidmm_allocation *alias = st->aliases[i];

        atomic_fetch_add(&target->obj.refs, 1);   /* the alias's, put when it is freed */
        alloc_ext(target)->aliases++;
        alloc_ext(alias)->target = target;
        alias->size = target->size;
        alias->group = target->group;
        alias->align_shift = target->align_shift;
        alias->desc_flags = target->desc_flags;
    }
}

/* The handles could not be published: the aliases, about to be freed, stop
 * counting on their targets (the references go with them). */
static void open_detach(struct vidmm *mm, struct open_state *st)
{
    uint32_t i;

    vidmm_assert_held(&mm->objects_lock);
    for (i = 0; i < st->count; i++) alloc_ext(alloc_ext(st->aliases[i])->target)->aliases--;
}

/* Published: the new objects in their lists, the data copied out.  Nothing
 * can fail here. */
static void open_link(struct vidmm *mm, struct vidmm_open_resource_args *args, struct open_state *st)
{
    struct vidmm_open_info *infos = (struct vidmm_open_info *)(uintptr_t)args->infos;
    struct vidmm_resource *res = st->shared, *opened = st->opened;
    uint8_t *out = (uint8_t *)(uintptr_t)args->total_data;
    struct vidmm_allocation *shared;
    uint32_t i;

    vidmm_assert_held(&mm->objects_lock);
    if (res->runtime_size) memcpy((void *)(uintptr_t)args->runtime_data, res->runtime_data, res->runtime_size);
    if (res->driver_size) memcpy((void *)(uintptr_t)args->resource_data, res->driver_data, res->driver_size);
    for (shared = ilist_first(&mm->allocs, &res->allocations), i = 0; shared;
         shared = ilist_next(&mm->allocs, shared, ALLOC_ENTRY), i++)
    {
        struct vidmm_allocation *alias = st->aliases[i];

        ilist_add_tail(&mm->allocs, &opened->allocations, alias, ALLOC_ENTRY);
        memcpy(out, alloc_private_data(shared), alloc_private_size(shared));
        out += alloc_private_size(shared);
        infos[i].handle = alias->obj.handle;
        infos[i].private_size = alloc_private_size(shared);
        st->aliases[i] = NULL;
    }
    list_add_tail(&st->device->resources, &opened->entry);
    args->resource = opened->obj.handle;
    args->total_size = (uint32_t)st->total;
    st->opened = NULL;
}

static NTSTATUS open_publish(struct vidmm *mm, struct vidmm_open_resource_args *args, struct open_state *st)
{
    NTSTATUS status;

    vidmm_mutex_lock(&mm->objects_lock);
    if ((status = open_check_shared(mm, args, st))) goto done;
    if (st->shared->runtime_size && !(st->opened->runtime_data = vidmm_malloc(st->shared->runtime_size)))
    {
        status = STATUS_NO_MEMORY;
        goto done;
    }
    open_attach(mm, st);
    if (!(status = open_insert_handles(mm, st))) open_link(mm, args, st);
    else open_detach(mm, st);
done:
    vidmm_mutex_unlock(&mm->objects_lock);
    return status;
}

/* ---- opening a share file ---- */

/* Build: the opener's resource and allocations over its view. */
static NTSTATUS file_build(struct vidmm_share_file *file, const struct vidmm_share_header *h,
                           const struct vidmm_share_alloc *table, struct open_state *st)
{
    struct vidmm_resource *opened;
    uint32_t i;

    if (!(st->aliases = vidmm_calloc(h->count, sizeof(*st->aliases)))
        || !(opened = st->opened = vidmm_calloc(1, sizeof(*st->opened))))
        return STATUS_NO_MEMORY;
    st->count = h->count;
    st->total = h->total_driver_size;
    opened->obj.type = VIDMM_OBJECT_RESOURCE;
    atomic_init(&opened->obj.refs, 1);
    atomic_fetch_add(&st->device->obj.refs, 1);
    opened->device = st->device;
    opened->flags = h->create_flags;
    ilist_init(&opened->allocations);
    list_init(&opened->entry);
    share_ref(file);
    opened->share = file;
    if (h->runtime_size)
    {
        if (!(opened->runtime_data = vidmm_malloc(h->runtime_size))) return STATUS_NO_MEMORY;
        memcpy(opened->runtime_data, file->view + h->runtime_offset, h->runtime_size);
        opened->runtime_size = h->runtime_size;
    }
    if (h->resource_size)
    {
        if (!(opened->driver_data = vidmm_malloc(h->resource_size))) return STATUS_NO_MEMORY;
        memcpy(opened->driver_data, file->view + h->resource_offset, h->resource_size);
        opened->driver_size = h->resource_size;
    }
    for (i = 0; i < h->count; i++)
    {
        struct vidmm_allocation_ext *ext;
        struct vidmm_allocation *alloc;

        if (!(alloc = st->aliases[i] = alias_new(st->device, opened))) return STATUS_NO_MEMORY;
        ext = alloc_ext(alloc);
        if (table[i].private_size)
        {
            if (!(ext->private_data = vidmm_malloc(table[i].private_size))) return STATUS_NO_MEMORY;
            memcpy(ext->private_data, file->view + table[i].private_offset, table[i].private_size);
        }
        ext->private_size = table[i].private_size;
        alloc->size = table[i].size;
        alloc->align_shift = __builtin_ctz(table[i].align_pages);   /* a power of two (share.c) */
        alloc->group = (uint8_t)table[i].group;
        alloc->desc_flags = (uint8_t)(table[i].desc_flags & D3DKMT_WINE_ALLOC_FLAGS_VALID);
        alloc->info_flags = (uint8_t)(table[i].info_flags & (VIDMM_ALLOC_PRIMARY | VIDMM_ALLOC_STEREO
                                                             | VIDMM_ALLOC_OVERRIDE_PRIORITY));
        alloc->priority = table[i].priority;
        alloc->location = VIDMM_LOC_SHARED;
        ext->user_mem = (uintptr_t)(file->view + table[i].offset);
        alloc->written = 1;
        share_ref(file);
        ext->share = file;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS file_check(const struct vidmm_open_resource_args *args, const struct vidmm_share_header *h,
                           struct open_state *st)
{
    if (args->count != h->count || args->runtime_size != h->runtime_size || args->resource_size != h->resource_size
        || (args->runtime_size && !args->runtime_data) || (args->resource_size && !args->resource_data)
        || !args->total_data || h->luid != st->device->adapter->gpu->luid)
        return STATUS_INVALID_PARAMETER;
    if (h->total_driver_size > args->total_size) return STATUS_NO_MEMORY;
    return STATUS_SUCCESS;
}

/* Publish: placement (bookkeeping only), handles, lists, data out. */
static NTSTATUS file_publish(struct vidmm *mm, struct vidmm_open_resource_args *args, struct open_state *st)
{
    struct vidmm_open_info *infos = (struct vidmm_open_info *)(uintptr_t)args->infos;
    struct vidmm_resource *opened = st->opened;
    struct vidmm_gpu *gpu = st->device->adapter->gpu;
    uint8_t *out = (uint8_t *)(uintptr_t)args->total_data;
    NTSTATUS status;
    uint32_t i;

    vidmm_mutex_lock(&mm->objects_lock);
    if (st->device->dead)
    {
        vidmm_mutex_unlock(&mm->objects_lock);
        return STATUS_INVALID_PARAMETER;
    }
    /* Placed before the handles are published, so that a Lock through one
     * the moment it is in the table finds a finished allocation. */
    vidmm_mutex_lock(&gpu->lock);
    for (i = 0; i < st->count; i++) gpu_place_new(mm, gpu, st->aliases[i]);   /* cannot fail for these */
    vidmm_mutex_unlock(&gpu->lock);
    if ((status = open_insert_handles(mm, st)))
    {
        vidmm_mutex_lock(&gpu->lock);
        for (i = 0; i < st->count; i++) gpu_release(mm, gpu, st->aliases[i]);
        vidmm_mutex_unlock(&gpu->lock);
        vidmm_mutex_unlock(&mm->objects_lock);
        return status;
    }
    if (opened->runtime_size) memcpy((void *)(uintptr_t)args->runtime_data, opened->runtime_data, opened->runtime_size);
    if (opened->driver_size) memcpy((void *)(uintptr_t)args->resource_data, opened->driver_data, opened->driver_size);
    for (i = 0; i < st->count; i++)
    {
        struct vidmm_allocation *alloc = st->aliases[i];

        ilist_add_tail(&mm->allocs, &opened->allocations, alloc, ALLOC_ENTRY);
        if (alloc_private_size(alloc)) memcpy(out, alloc_private_data(alloc), alloc_private_size(alloc));
        out += alloc_private_size(alloc);
        infos[i].handle = alloc->obj.handle;
        infos[i].private_size = alloc_private_size(alloc);
        st->aliases[i] = NULL;
    }
    list_add_tail(&st->device->resources, &opened->entry);
    args->resource = opened->obj.handle;
    args->total_size = (uint32_t)st->total;
    st->opened = NULL;
    vidmm_mutex_unlock(&mm->objects_lock);
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_open_resource_file(struct vidmm *mm, struct vidmm_share_file *file,
                                  struct vidmm_open_resource_args *args)
{
    struct vidmm_share_alloc *table = NULL;
    struct vidmm_share_header h;
    struct open_state st = {0};
    NTSTATUS status;
    uint32_t i;

    if (!(st.device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if (!(status = open_validate(args, &st)) && !(status = share_resource_snapshot(file, &h, &table))
        && !(status = file_check(args, &h, &st)) && !(status = file_build(file, &h, table, &st)))
        status = file_publish(mm, args, &st);
    if (st.aliases)
        for (i = 0; i < st.count; i++) vidmm_put(mm, st.aliases[i]);
    vidmm_free(st.aliases);
    vidmm_free(table);
    vidmm_put(mm, st.opened);
    vidmm_put(mm, st.device);
    return status;
}

NTSTATUS vidmm_share_resource(struct vidmm *mm, uint32_t resource, struct vidmm_share_file **out)
{
    struct vidmm_resource *res;
    NTSTATUS status = STATUS_INVALID_PARAMETER;

    /* Only the resource handle of an NtSecuritySharing resource ([WIN]). */
    if (!(res = vidmm_get(mm, resource, VIDMM_OBJECT_RESOURCE))) return STATUS_INVALID_PARAMETER;
    vidmm_mutex_lock(&mm->objects_lock);
    if (!res->dead && res->share && (res->flags & VIDMM_CREATE_NT_SECURITY))
    {
        share_ref(res->share);
        *out = res->share;
        status = STATUS_SUCCESS;
    }
    vidmm_mutex_unlock(&mm->objects_lock);
    vidmm_put(mm, res);
    return status;
}

NTSTATUS vidmm_open_resource(struct vidmm *mm, struct vidmm_open_resource_args *args)
{
    struct open_state st = {0};
    NTSTATUS status;
    uint32_t i;

    if (!(st.device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if (!(status = open_validate(args, &st)) && !(status = open_build(args, &st)))
        status = open_publish(mm, args, &st);
    if (status == STATUS_INVALID_PARAMETER && !st.shared && mm->share_ops.open_global && !open_validate(args, &st))
    {
        /* Not this process' resource: another one's, prefix-wide. */
        struct vidmm_share_file *file;
        NTSTATUS global;

        if (!(global = open_global_file(mm, args->global_share, &file)))
        {
            /* Drop what open_build made; the file path builds its own. */
            if (st.aliases)
                for (i = 0; i < args->count; i++) vidmm_put(mm, st.aliases[i]);
            vidmm_free(st.aliases);
            st.aliases = NULL;
            vidmm_put(mm, st.opened);
            st.opened = NULL;
            status = vidmm_open_resource_file(mm, file, args);
            vidmm_share_put(mm, file);
        }
    }
    /* Roll back whatever was not published (nothing, on success). */
    if (st.aliases)
        for (i = 0; i < args->count; i++) vidmm_put(mm, st.aliases[i]);
    vidmm_free(st.aliases);
    vidmm_put(mm, st.opened);
    vidmm_put(mm, st.shared);
    vidmm_put(mm, st.device);
    return status;
}

int vidmm_share_check_sync(struct vidmm *mm, uint32_t handle, int keyed)
{
    struct sync_handle *h;
    int ret = -1;

    if (!handle || !(h = sync_handle_get(mm, handle, keyed ? VIDMM_OBJECT_KEYED_MUTEX : VIDMM_OBJECT_SYNC)))
        return -1;
    /* An NT keyed mutex has no global handle; a sync object says so in its flags. */
    if (!h->dead && !h->internal
        && (keyed ? !h->core->global : !!(h->core->flags & VIDMM_SYNC_FLAG_NT_SECURITY)))
        ret = 0;
    sync_handle_put(mm, h);
    return ret;
}
