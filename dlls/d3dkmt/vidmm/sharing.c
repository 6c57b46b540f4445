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

/* The shared resource of a global handle, with a reference; objects_lock held. */
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

NTSTATUS vidmm_open_resource(struct vidmm *mm, struct vidmm_open_resource_args *args)
{
    struct vidmm_open_info *infos = (struct vidmm_open_info *)(uintptr_t)args->infos;
    struct vidmm_allocation **aliases = NULL;
    struct vidmm_resource *res = NULL, *opened = NULL;
    struct vidmm_device *device;
    struct vidmm_list *e;
    NTSTATUS status;
    uint32_t count = 0, i;
    uint64_t total;
    uint8_t *out;

    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if ((status = device_check(device))) goto done;
    if (!args->count || !infos || args->count > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL)
    {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    /* Everything is made before the objects lock, then published under it. */
    if (!(aliases = vidmm_calloc(args->count, sizeof(*aliases))) || !(opened = vidmm_calloc(1, sizeof(*opened))))
    {
        status = STATUS_NO_MEMORY;
        goto done;
    }
    opened->obj.type = VIDMM_OBJECT_RESOURCE;
    atomic_init(&opened->obj.refs, 1);
    atomic_fetch_add(&device->obj.refs, 1);
    opened->device = device;
    list_init(&opened->allocations);
    list_init(&opened->entry);
    for (i = 0; i < args->count; i++)
    {
        if (!(aliases[i] = vidmm_calloc(1, sizeof(**aliases))))
        {
            status = STATUS_NO_MEMORY;
            goto done;
        }
        aliases[i]->obj.type = VIDMM_OBJECT_ALLOCATION;
        atomic_init(&aliases[i]->obj.refs, 1);
        atomic_fetch_add(&device->obj.refs, 1);
        aliases[i]->device = device;
        aliases[i]->gpu = device->adapter->gpu;
        aliases[i]->resource = opened;
        list_init(&aliases[i]->entry);
        list_init(&aliases[i]->lru);
        list_init(&aliases[i]->job);
        vidmm_mutex_init(&aliases[i]->lock, VIDMM_RANK_ALLOC);
    }

    vidmm_mutex_lock(&mm->objects_lock);
    if (device->dead || !(res = get_shared(mm, args->global_share)))
    {
        status = STATUS_INVALID_PARAMETER;
        goto unlock;
    }
    shared_sizes(res, &count, &total);
    /* The two smaller buffers must match exactly; the total one may be larger. */
    if (args->count != count || args->runtime_size != res->runtime_size || args->resource_size != res->driver_size
        || (args->runtime_size && !args->runtime_data) || (args->resource_size && !args->resource_data)
        || !args->total_data || res->device->adapter->gpu != device->adapter->gpu)
    {
        status = STATUS_INVALID_PARAMETER;
        goto unlock;
    }
    if (total > args->total_size)
    {
        status = STATUS_NO_MEMORY;
        goto unlock;
    }
    if (res->runtime_size && !(opened->runtime_data = vidmm_malloc(res->runtime_size)))
    {
        status = STATUS_NO_MEMORY;
        goto unlock;
    }
    if ((status = handle_table_insert(&mm->table, opened, VIDMM_OBJECT_RESOURCE, &opened->obj.handle))) goto unlock;
    for (i = 0; i < count; i++)
        if ((status = handle_table_insert(&mm->table, aliases[i], VIDMM_OBJECT_ALLOCATION, &aliases[i]->obj.handle)))
        {
            while (i--) handle_table_remove(&mm->table, aliases[i]->obj.handle, VIDMM_OBJECT_ALLOCATION);
            handle_table_remove(&mm->table, opened->obj.handle, VIDMM_OBJECT_RESOURCE);
            goto unlock;
        }

    /* Nothing can fail from here on. */
    opened->flags = res->flags;
    opened->runtime_size = res->runtime_size;
    if (res->runtime_size) memcpy(opened->runtime_data, res->runtime_data, res->runtime_size);
    if (res->runtime_size) memcpy((void *)(uintptr_t)args->runtime_data, res->runtime_data, res->runtime_size);
    if (res->driver_size) memcpy((void *)(uintptr_t)args->resource_data, res->driver_data, res->driver_size);
    out = (uint8_t *)(uintptr_t)args->total_data;
    for (e = res->allocations.next, i = 0; e != &res->allocations; e = e->next, i++)
    {
        struct vidmm_allocation *shared = LIST_ENTRY(e, struct vidmm_allocation, entry);
        struct vidmm_allocation *target = alloc_target(shared), *alias = aliases[i];

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
        aliases[i] = NULL;
    }
    list_add_tail(&device->resources, &opened->entry);
    args->resource = opened->obj.handle;
    args->total_size = (uint32_t)total;
    opened = NULL;

unlock:
    vidmm_mutex_unlock(&mm->objects_lock);
done:
    if (aliases)
        for (i = 0; i < args->count; i++) vidmm_put(mm, aliases[i]);
    vidmm_free(aliases);
    vidmm_put(mm, opened);
    vidmm_put(mm, res);
    vidmm_put(mm, device);
    return status;
}
