/*
 * Video memory manager: the manager object, handles, adapters, devices and
 * memory information.
 */
#include <string.h>

#include "vidmm_private.h"

NTSTATUS vidmm_create(const struct vidmm_memory_ops *ops, struct vidmm **out)
{
    struct vidmm *mm;

    if (!(mm = vidmm_calloc(1, sizeof(*mm)))) return STATUS_NO_MEMORY;
    mm->ops = *ops;
    handle_table_init(&mm->table);
    pthread_mutex_init(&mm->objects_lock, NULL);
    list_init(&mm->gpus);
    *out = mm;
    return STATUS_SUCCESS;
}

static void grab(void *object)
{
    atomic_fetch_add(&((struct vidmm_object *)object)->refs, 1);
}

void *vidmm_get(struct vidmm *mm, uint32_t handle, enum vidmm_object_type type)
{
    if (!handle) return NULL;
    return handle_table_lookup(&mm->table, handle, type, grab);
}

static void free_object(struct vidmm_object *obj)
{
    switch (obj->type)
    {
    case VIDMM_OBJECT_RESOURCE:
    {
        struct vidmm_resource *res = (struct vidmm_resource *)obj;
        vidmm_free(res->runtime_data);
        vidmm_free(res->driver_data);
        break;
    }
    case VIDMM_OBJECT_ALLOCATION:
    {
        struct vidmm_allocation *alloc = (struct vidmm_allocation *)obj;
        vidmm_free(alloc->private_data);
        pthread_mutex_destroy(&alloc->lock);
        break;
    }
    default:
        break;
    }
    vidmm_free(obj);
}

void vidmm_put(struct vidmm *mm, void *object)
{
    struct vidmm_object *obj = object;

    (void)mm;
    if (obj && atomic_fetch_sub(&obj->refs, 1) == 1) free_object(obj);
}

/* ---- adapters ---- */

static struct vidmm_gpu *find_gpu(struct vidmm *mm, uint64_t luid)
{
    struct vidmm_list *e;

    for (e = mm->gpus.next; e != &mm->gpus; e = e->next)
    {
        struct vidmm_gpu *gpu = LIST_ENTRY(e, struct vidmm_gpu, entry);
        if (gpu->luid == luid) return gpu;
    }
    return NULL;
}

NTSTATUS vidmm_open_adapter(struct vidmm *mm, struct vidmm_open_adapter_args *args)
{
    struct vidmm_adapter *adapter;
    struct vidmm_gpu *gpu;
    NTSTATUS status;

    if (!args->luid || args->source_id >= args->source_count) return STATUS_INVALID_PARAMETER;
    if (!(adapter = vidmm_calloc(1, sizeof(*adapter)))) return STATUS_NO_MEMORY;
    adapter->obj.type = VIDMM_OBJECT_ADAPTER;
    atomic_init(&adapter->obj.refs, 1);
    adapter->source_id = args->source_id;
    adapter->host_handle = args->host_handle;
    list_init(&adapter->devices);

    pthread_mutex_lock(&mm->objects_lock);
    if (!(gpu = find_gpu(mm, args->luid)))
    {
        if ((status = gpu_create(mm, args, &gpu))) goto failed;
        list_add_tail(&mm->gpus, &gpu->entry);
    }
    gpu->opens++;
    adapter->gpu = gpu;
    if ((status = handle_table_insert(&mm->table, adapter, VIDMM_OBJECT_ADAPTER, &adapter->obj.handle)))
    {
        if (!--gpu->opens)
        {
            list_remove(&gpu->entry);
            gpu_destroy(mm, gpu);
        }
        goto failed;
    }
    pthread_mutex_unlock(&mm->objects_lock);
    args->handle = adapter->obj.handle;
    return STATUS_SUCCESS;

failed:
    pthread_mutex_unlock(&mm->objects_lock);
    vidmm_free(adapter);
    return status;
}

/* objects_lock held; the handle is already out of the table. */
static void device_teardown(struct vidmm *mm, struct vidmm_device *device)
{
    device->dead = 1;
    device_destroy_contents(mm, device);
    list_remove(&device->entry);
}

NTSTATUS vidmm_close_adapter(struct vidmm *mm, struct vidmm_close_adapter_args *args)
{
    struct vidmm_adapter *adapter;
    struct vidmm_gpu *gpu;

    pthread_mutex_lock(&mm->objects_lock);
    if (!args->handle || !(adapter = handle_table_remove(&mm->table, args->handle, VIDMM_OBJECT_ADAPTER)))
    {
        pthread_mutex_unlock(&mm->objects_lock);
        return STATUS_INVALID_PARAMETER;
    }
    while (!list_empty(&adapter->devices))
    {
        struct vidmm_device *device = LIST_ENTRY(adapter->devices.next, struct vidmm_device, entry);
        handle_table_remove(&mm->table, device->obj.handle, VIDMM_OBJECT_DEVICE);
        device_teardown(mm, device);
        vidmm_put(mm, device);
    }
    gpu = adapter->gpu;
    if (!--gpu->opens)
    {
        list_remove(&gpu->entry);
        gpu_destroy(mm, gpu);
    }
    adapter->gpu = NULL;
    pthread_mutex_unlock(&mm->objects_lock);
    args->host_handle = adapter->host_handle;
    vidmm_put(mm, adapter);
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_query_adapter(struct vidmm *mm, uint32_t handle, struct vidmm_adapter_info *info)
{
    struct vidmm_adapter *adapter;

    if (!(adapter = vidmm_get(mm, handle, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&mm->objects_lock);
    if (adapter->gpu)
    {
        info->luid = adapter->gpu->luid;
        info->local_size = adapter->gpu->local.size;
        info->nonlocal_size = adapter->gpu->nonlocal.size;
    }
    pthread_mutex_unlock(&mm->objects_lock);
    info->source_id = adapter->source_id;
    info->host_handle = adapter->host_handle;
    vidmm_put(mm, adapter);
    return STATUS_SUCCESS;
}

/* ---- devices ---- */

NTSTATUS vidmm_create_device(struct vidmm *mm, struct vidmm_create_device_args *args)
{
    struct vidmm_adapter *adapter;
    struct vidmm_device *device;
    NTSTATUS status;

    if (args->flags & ~VIDMM_DEVICE_FLAGS_VALID) return STATUS_INVALID_PARAMETER;
    if (!(adapter = vidmm_get(mm, args->adapter, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    if (!(device = vidmm_calloc(1, sizeof(*device))))
    {
        vidmm_put(mm, adapter);
        return STATUS_NO_MEMORY;
    }
    device->obj.type = VIDMM_OBJECT_DEVICE;
    atomic_init(&device->obj.refs, 1);
    device->adapter = adapter;
    device->flags = args->flags;
    device->host_handle = args->host_handle;
    list_init(&device->resources);
    list_init(&device->allocations);

    pthread_mutex_lock(&mm->objects_lock);
    if (!adapter->gpu) status = STATUS_INVALID_PARAMETER;  /* closed meanwhile */
    else status = handle_table_insert(&mm->table, device, VIDMM_OBJECT_DEVICE, &device->obj.handle);
    if (!status) list_add_tail(&adapter->devices, &device->entry);
    pthread_mutex_unlock(&mm->objects_lock);
    vidmm_put(mm, adapter);
    if (status)
    {
        vidmm_free(device);
        return status;
    }
    args->handle = device->obj.handle;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_destroy_device(struct vidmm *mm, struct vidmm_destroy_device_args *args)
{
    struct vidmm_device *device;

    pthread_mutex_lock(&mm->objects_lock);
    if (!args->handle || !(device = handle_table_remove(&mm->table, args->handle, VIDMM_OBJECT_DEVICE)))
    {
        pthread_mutex_unlock(&mm->objects_lock);
        return STATUS_INVALID_PARAMETER;
    }
    device_teardown(mm, device);
    pthread_mutex_unlock(&mm->objects_lock);
    args->host_handle = device->host_handle;
    vidmm_put(mm, device);
    return STATUS_SUCCESS;
}

/* ---- memory information ---- */

NTSTATUS vidmm_query_video_memory(struct vidmm *mm, struct vidmm_query_video_memory_args *args)
{
    struct vidmm_adapter *adapter;
    struct vidmm_segment *segment;
    NTSTATUS status = STATUS_SUCCESS;

    if (!(adapter = vidmm_get(mm, args->adapter, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    if (args->group > VIDMM_SEGMENT_GROUP_NON_LOCAL || args->physical_adapter != 0)
    {
        vidmm_put(mm, adapter);
        return STATUS_INVALID_PARAMETER;
    }
    pthread_mutex_lock(&mm->objects_lock);
    if (!adapter->gpu) status = STATUS_INVALID_PARAMETER;
    else
    {
        struct vidmm_gpu *gpu = adapter->gpu;

        pthread_mutex_lock(&gpu->lock);
        segment = args->group == VIDMM_SEGMENT_GROUP_LOCAL ? &gpu->local : &gpu->nonlocal;
        /* One process owns the whole segment, so its budget is the segment;
         * half of it may be reserved, as Windows typically reports. */
        args->budget = segment->size;
        args->usage = args->other_process ? 0 : segment->usage;
        args->reservation = 0;
        args->available_for_reservation = segment->size / 2;
        pthread_mutex_unlock(&gpu->lock);
    }
    pthread_mutex_unlock(&mm->objects_lock);
    vidmm_put(mm, adapter);
    return status;
}

void vidmm_get_stats(struct vidmm *mm, struct vidmm_stats *stats)
{
    struct vidmm_list *e;
    uint32_t slot;

    memset(stats, 0, sizeof(*stats));
    pthread_mutex_lock(&mm->objects_lock);
    pthread_mutex_lock(&mm->table.lock);
    for (slot = 1; slot < mm->table.next_fresh; slot++)
    {
        if (!mm->table.entries[slot].object) continue;
        switch (mm->table.entries[slot].type)
        {
        case VIDMM_OBJECT_ADAPTER: stats->adapters++; break;
        case VIDMM_OBJECT_DEVICE: stats->devices++; break;
        case VIDMM_OBJECT_RESOURCE: stats->resources++; break;
        case VIDMM_OBJECT_ALLOCATION: stats->allocations++; break;
        default: break;
        }
    }
    pthread_mutex_unlock(&mm->table.lock);
    for (e = mm->gpus.next; e != &mm->gpus; e = e->next)
    {
        struct vidmm_gpu *gpu = LIST_ENTRY(e, struct vidmm_gpu, entry);
        pthread_mutex_lock(&gpu->lock);
        stats->local_usage += gpu->local.usage;
        stats->nonlocal_usage += gpu->nonlocal.usage;
        stats->backing_bytes += gpu->backing_bytes;
        pthread_mutex_unlock(&gpu->lock);
    }
    pthread_mutex_unlock(&mm->objects_lock);
}

void vidmm_destroy(struct vidmm *mm)
{
    uint32_t slot;

    /* Close every adapter still open; that takes devices and their objects along. */
    for (;;)
    {
        struct vidmm_close_adapter_args args = {0};

        pthread_mutex_lock(&mm->table.lock);
        for (slot = 1; slot < mm->table.next_fresh; slot++)
            if (mm->table.entries[slot].object && mm->table.entries[slot].type == VIDMM_OBJECT_ADAPTER)
            {
                args.handle = ((struct vidmm_object *)mm->table.entries[slot].object)->handle;
                break;
            }
        pthread_mutex_unlock(&mm->table.lock);
        if (!args.handle) break;
        vidmm_close_adapter(mm, &args);
    }
    handle_table_cleanup(&mm->table);
    pthread_mutex_destroy(&mm->objects_lock);
    vidmm_free(mm);
}
