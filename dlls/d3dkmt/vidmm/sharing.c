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
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

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
    struct vidmm_list *e;

    *count = 0;
    *total = 0;
    for (e = res->allocations.next; e != &res->allocations; e = e->next)
    {
        (*count)++;
        *total += LIST_ENTRY(e, struct vidmm_allocation, entry)->private_size;
    }
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
    if (!(res = get_shared(mm, args->global_share))) status = STATUS_INVALID_PARAMETER;
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
    struct vidmm_allocation *alias;

    if (!(alias = vidmm_calloc(1, sizeof(*alias)))) return NULL;
    alias->obj.type = VIDMM_OBJECT_ALLOCATION;
    atomic_init(&alias->obj.refs, 1);
    atomic_fetch_add(&device->obj.refs, 1);
    alias->device = device;
    alias->gpu = device->adapter->gpu;
    alias->resource = opened;
    list_init(&alias->entry);
    list_init(&alias->lru);
    list_init(&alias->job);
    vidmm_mutex_init(&alias->lock, VIDMM_RANK_ALLOC);
    return alias;
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
    list_init(&opened->allocations);
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

/* Publish: link the aliases to the creator's memory and copy the data out.
 * Nothing can fail here. */
static void open_link(struct vidmm *mm, struct vidmm_open_resource_args *args, struct open_state *st)
{
    struct vidmm_open_info *infos = (struct vidmm_open_info *)(uintptr_t)args->infos;
    struct vidmm_resource *res = st->shared, *opened = st->opened;
    uint8_t *out = (uint8_t *)(uintptr_t)args->total_data;
    struct vidmm_list *e;
    uint32_t i;

    vidmm_assert_held(&mm->objects_lock);
    opened->flags = res->flags;
    opened->runtime_size = res->runtime_size;
    if (res->runtime_size) memcpy(opened->runtime_data, res->runtime_data, res->runtime_size);
    if (res->runtime_size) memcpy((void *)(uintptr_t)args->runtime_data, res->runtime_data, res->runtime_size);
    if (res->driver_size) memcpy((void *)(uintptr_t)args->resource_data, res->driver_data, res->driver_size);
    for (e = res->allocations.next, i = 0; e != &res->allocations; e = e->next, i++)
    {
        struct vidmm_allocation *shared = LIST_ENTRY(e, struct vidmm_allocation, entry);
        struct vidmm_allocation *target = alloc_target(shared), *alias = st->aliases[i];

        atomic_fetch_add(&target->obj.refs, 1);
        target->aliases++;
        alias->target = target;
        alias->size = target->size;
        alias->group = target->group;
        alias->desc_flags = target->desc_flags;
        alias->create_flags = target->create_flags;
        list_add_tail(&opened->allocations, &alias->entry);
        memcpy(out, shared->private_data, shared->private_size);
        out += shared->private_size;
        infos[i].handle = alias->obj.handle;
        infos[i].private_size = shared->private_size;
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
    if (!(status = open_insert_handles(mm, st))) open_link(mm, args, st);
done:
    vidmm_mutex_unlock(&mm->objects_lock);
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
    /* Roll back whatever was not published (nothing, on success). */
    if (st.aliases)
        for (i = 0; i < args->count; i++) vidmm_put(mm, st.aliases[i]);
    vidmm_free(st.aliases);
    vidmm_put(mm, st.opened);
    vidmm_put(mm, st.shared);
    vidmm_put(mm, st.device);
    return status;
}
