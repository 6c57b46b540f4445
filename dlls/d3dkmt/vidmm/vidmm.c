/*
 * Video memory manager: the manager object, handles, adapters, devices and
 * memory information.
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

/* Every reservation is a mapping of its own under Wine, and Linux allows a
 * process only so many: past the provider's limit a reserve fails here, as
 * a status to the caller, before the rest of the process is starved. */
static void *counted_reserve(void *ctx, uint64_t size)
{
    struct vidmm *mm = ctx;
    uint32_t max = mm->provider.max_reservations;
    void *addr;

    if (max && atomic_fetch_add(&mm->reservations, 1) >= max)
    {
        atomic_fetch_sub(&mm->reservations, 1);
        return NULL;
    }
    if (!(addr = mm->provider.reserve(mm->provider.ctx, size)) && max) atomic_fetch_sub(&mm->reservations, 1);
    return addr;
}

static void counted_release(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;

    mm->provider.release(mm->provider.ctx, addr, size);
    if (mm->provider.max_reservations) atomic_fetch_sub(&mm->reservations, 1);
}

static int provider_commit(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    return mm->provider.commit(mm->provider.ctx, addr, size);
}

static void provider_decommit(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    mm->provider.decommit(mm->provider.ctx, addr, size);
}

static int provider_check_user_range(void *ctx, uint64_t addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    return mm->provider.check_user_range(mm->provider.ctx, addr, size);
}

NTSTATUS vidmm_create(const struct vidmm_memory_ops *ops, uint32_t flags, struct vidmm **out)
{
    struct vidmm *mm;

    if (!(mm = vidmm_calloc(1, sizeof(*mm)))) return STATUS_NO_MEMORY;
    mm->provider = *ops;
    mm->flags = flags;
    mm->ops.ctx = mm;
    mm->ops.reserve = counted_reserve;
    mm->ops.commit = provider_commit;
    mm->ops.decommit = provider_decommit;
    mm->ops.release = counted_release;
    mm->ops.check_user_range = provider_check_user_range;
    atomic_init(&mm->reservations, 0);
    handle_table_init(&mm->table);
    pthread_mutex_init(&mm->objects_lock, NULL);
    pthread_mutex_init(&mm->gpus_lock, NULL);
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

static void release_gpu(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    int last;

    pthread_mutex_lock(&mm->gpus_lock);
    if ((last = !--gpu->opens)) list_remove(&gpu->entry);
    pthread_mutex_unlock(&mm->gpus_lock);
    if (last) gpu_destroy(mm, gpu);
}

static void free_object(struct vidmm *mm, struct vidmm_object *obj)
{
    switch (obj->type)
    {
    case VIDMM_OBJECT_ADAPTER:
        release_gpu(mm, ((struct vidmm_adapter *)obj)->gpu);
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
        vidmm_put(mm, res->device);
        break;
    }
    case VIDMM_OBJECT_ALLOCATION:
    {
        struct vidmm_allocation *alloc = (struct vidmm_allocation *)obj;
        vidmm_free(alloc->private_data);
        pthread_mutex_destroy(&alloc->lock);
        vidmm_put(mm, alloc->target);
        vidmm_put(mm, alloc->device);
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

    if (obj && atomic_fetch_sub(&obj->refs, 1) == 1) free_object(mm, obj);
}

NTSTATUS device_check(const struct vidmm_device *device)
{
    if (device->adapter->gpu->removed) return STATUS_DEVICE_REMOVED;
    if (atomic_load(&((struct vidmm_device *)device)->exec_state) != VIDMM_EXECUTION_ACTIVE)
        return STATUS_DEVICE_REMOVED;
    return STATUS_SUCCESS;
}

struct vidmm_allocation *get_device_allocation(struct vidmm *mm, struct vidmm_device *device, uint32_t handle)
{
    struct vidmm_allocation *alloc = vidmm_get(mm, handle, VIDMM_OBJECT_ALLOCATION), *target;

    if (!alloc) return NULL;
    if (alloc->device != device)
    {
        vidmm_put(mm, alloc);
        return NULL;
    }
    if (!(target = alloc->target)) return alloc;
    /* Opened allocations act on the creator's memory. */
    atomic_fetch_add(&target->obj.refs, 1);
    vidmm_put(mm, alloc);
    return target;
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

    for (i = 0; i < count; i++) if (allocs[i]->dead) return 1;
    return 0;
}

NTSTATUS resolve_allocations(struct vidmm *mm, struct vidmm_device *device, uint32_t resource,
                             const uint32_t *handles, uint32_t count, struct vidmm_allocation ***out,
                             uint32_t *out_count)
{
    struct vidmm_allocation **allocs;
    struct vidmm_resource *res;
    struct vidmm_list *e;
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i, n = 0;

    *out = NULL;
    *out_count = 0;
    if (resource)
    {
        pthread_mutex_lock(&mm->objects_lock);
        if (!(res = handle_table_lookup(&mm->table, resource, VIDMM_OBJECT_RESOURCE, NULL)) || res->device != device)
        {
            pthread_mutex_unlock(&mm->objects_lock);
            return STATUS_INVALID_PARAMETER;
        }
        for (e = res->allocations.next; e != &res->allocations; e = e->next) n++;
        if (!(allocs = vidmm_calloc(n ? n : 1, sizeof(*allocs))))
        {
            pthread_mutex_unlock(&mm->objects_lock);
            return STATUS_NO_MEMORY;
        }
        for (e = res->allocations.next, i = 0; e != &res->allocations; e = e->next, i++)
        {
            allocs[i] = alloc_target(LIST_ENTRY(e, struct vidmm_allocation, entry));
            atomic_fetch_add(&allocs[i]->obj.refs, 1);
        }
        pthread_mutex_unlock(&mm->objects_lock);
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

    pthread_mutex_lock(&mm->gpus_lock);
    if (!(gpu = find_gpu(mm, args->luid)))
    {
        if ((status = gpu_create(mm, args, &gpu)))
        {
            pthread_mutex_unlock(&mm->gpus_lock);
            vidmm_free(adapter);
            return status;
        }
        list_add_tail(&mm->gpus, &gpu->entry);
    }
    gpu->opens++;
    pthread_mutex_unlock(&mm->gpus_lock);
    adapter->gpu = gpu;

    pthread_mutex_lock(&mm->objects_lock);
    status = handle_table_insert(&mm->table, adapter, VIDMM_OBJECT_ADAPTER, &adapter->obj.handle);
    pthread_mutex_unlock(&mm->objects_lock);
    if (status)
    {
        vidmm_put(mm, adapter);   /* gives the gpu back */
        return status;
    }
    args->handle = adapter->obj.handle;
    return STATUS_SUCCESS;
}

/* objects_lock held; the handle is already out of the table. */
static void device_teardown(struct vidmm *mm, struct vidmm_device *device)
{
    device->dead = 1;
    while (!list_empty(&device->paging_queues))
        paging_queue_destroy(mm, LIST_ENTRY(device->paging_queues.next, struct vidmm_paging_queue, entry));
    device_destroy_contents(mm, device);
    list_remove(&device->entry);
}

NTSTATUS vidmm_close_adapter(struct vidmm *mm, struct vidmm_close_adapter_args *args)
{
    struct vidmm_adapter *adapter;

    uint32_t *hosts = (uint32_t *)(uintptr_t)args->device_hosts;
    struct vidmm_list *entry;

    pthread_mutex_lock(&mm->objects_lock);
    if (!args->handle || !(adapter = handle_table_lookup(&mm->table, args->handle, VIDMM_OBJECT_ADAPTER, NULL)))
    {
        pthread_mutex_unlock(&mm->objects_lock);
        return STATUS_INVALID_PARAMETER;
    }
    args->device_count = 0;
    for (entry = adapter->devices.next; entry != &adapter->devices; entry = entry->next) args->device_count++;
    if (hosts && args->device_count > args->device_hosts_max)
    {
        pthread_mutex_unlock(&mm->objects_lock);
        return STATUS_BUFFER_TOO_SMALL;
    }
    handle_table_remove(&mm->table, args->handle, VIDMM_OBJECT_ADAPTER);
    while (!list_empty(&adapter->devices))
    {
        struct vidmm_device *device = LIST_ENTRY(adapter->devices.next, struct vidmm_device, entry);

        /* Removed under objects_lock, as DestroyDevice does: whichever call
         * removes a device hands its Wine device back, exactly once. */
        if (hosts && device->host_handle) *hosts++ = device->host_handle;
        handle_table_remove(&mm->table, device->obj.handle, VIDMM_OBJECT_DEVICE);
        device_teardown(mm, device);
        vidmm_put(mm, device);
    }
    adapter->closed = 1;
    pthread_mutex_unlock(&mm->objects_lock);
    args->host_handle = adapter->host_handle;
    vidmm_put(mm, adapter);
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_query_adapter(struct vidmm *mm, uint32_t handle, struct vidmm_adapter_info *info)
{
    struct vidmm_adapter *adapter;

    if (!(adapter = vidmm_get(mm, handle, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&adapter->gpu->lock);
    info->luid = adapter->gpu->luid;
    info->local_size = adapter->gpu->local.size;
    info->nonlocal_size = adapter->gpu->nonlocal.size;
    info->local_budget = adapter->gpu->local_budget;
    info->source_count = adapter->gpu->source_count;
    info->removed = adapter->gpu->removed;
    pthread_mutex_unlock(&adapter->gpu->lock);
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
    if (adapter->gpu->removed)
    {
        vidmm_put(mm, adapter);
        return STATUS_DEVICE_REMOVED;
    }
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
    list_init(&device->paging_queues);
    atomic_init(&device->exec_state, VIDMM_EXECUTION_ACTIVE);

    pthread_mutex_lock(&mm->objects_lock);
    if (adapter->closed) status = STATUS_INVALID_PARAMETER;  /* closed meanwhile */
    else status = handle_table_insert(&mm->table, device, VIDMM_OBJECT_DEVICE, &device->obj.handle);
    if (!status) list_add_tail(&adapter->devices, &device->entry);
    pthread_mutex_unlock(&mm->objects_lock);
    if (status)
    {
        vidmm_put(mm, device);   /* and with it the adapter reference */
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

NTSTATUS vidmm_query_device(struct vidmm *mm, uint32_t handle, struct vidmm_device_info *info)
{
    struct vidmm_device *device;

    if (!(device = vidmm_get(mm, handle, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    info->adapter = device->adapter->obj.handle;
    info->host_handle = device->host_handle;
    vidmm_put(mm, device);
    return STATUS_SUCCESS;
}

/* ---- device state ---- */

NTSTATUS vidmm_get_execution_state(struct vidmm *mm, uint32_t handle, uint32_t *state)
{
    struct vidmm_device *device;
    NTSTATUS status = STATUS_SUCCESS;

    if (!(device = vidmm_get(mm, handle, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    /* A gone adapter fails the call; a device in error reports its state. */
    if (device->adapter->gpu->removed) status = STATUS_DEVICE_REMOVED;
    else *state = atomic_load(&device->exec_state);
    vidmm_put(mm, device);
    return status;
}

NTSTATUS vidmm_mark_device_error(struct vidmm *mm, uint32_t handle, uint32_t reason)
{
    struct vidmm_device *device;
    NTSTATUS status = STATUS_SUCCESS;
    int expected = VIDMM_EXECUTION_ACTIVE;

    if (reason != 0x80000000u && reason != 0x80000006u) return STATUS_INVALID_PARAMETER;
    if (!(device = vidmm_get(mm, handle, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if (device->adapter->gpu->removed) status = STATUS_DEVICE_REMOVED;
    /* A driver error reads as a DMA fault; the generic reason as a stopped device. */
    else atomic_compare_exchange_strong(&device->exec_state, &expected,
                                        reason == 0x80000006u ? VIDMM_EXECUTION_ERROR_DMAFAULT : VIDMM_EXECUTION_STOPPED);
    vidmm_put(mm, device);
    return status;
}

/* ---- the driver-private escape ---- */

static void fill_escape_stats(struct vidmm *mm, struct vidmm_gpu *gpu, D3DKMT_WINE_ESCAPE *escape)
{
    struct vidmm_stats stats;
    struct vidmm_list *e;
    uint32_t queued = 0;

    vidmm_get_stats(mm, &stats);
    pthread_mutex_lock(&gpu->lock);
    escape->LocalUsage = gpu->local.usage;
    escape->NonLocalUsage = gpu->nonlocal.usage;
    escape->LocalBudget = gpu->local_budget;
    escape->BackingBytes = gpu->backing_bytes;
    escape->FenceSubmitted = gpu->fence_submitted;
    escape->FenceCompleted = gpu->fence_completed;
    for (e = gpu->jobs.next; e != &gpu->jobs; e = e->next) queued++;
    escape->PagingQueued = queued;
    escape->AperturesUsed = atomic_load(&gpu->apertures_used);
    pthread_mutex_unlock(&gpu->lock);
    escape->Adapters = stats.adapters;
    escape->Devices = stats.devices;
    escape->Resources = stats.resources;
    escape->Allocations = stats.allocations;
}

NTSTATUS vidmm_escape(struct vidmm *mm, struct vidmm_escape_args *args)
{
    D3DKMT_WINE_ESCAPE *escape = (D3DKMT_WINE_ESCAPE *)(uintptr_t)args->data;
    struct vidmm_adapter *adapter;
    struct vidmm_device *device = NULL;
    struct vidmm_gpu *gpu;
    NTSTATUS status = STATUS_SUCCESS;

    if (!(mm->flags & VIDMM_CREATE_TEST_CONTROL)) return STATUS_INVALID_PARAMETER;
    if (!(adapter = vidmm_get(mm, args->adapter, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    if (args->device && (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE)) || device->adapter != adapter))
    {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if (!escape || args->size != sizeof(*escape) || escape->Magic != D3DKMT_WINE_ESCAPE_MAGIC
        || escape->Version != D3DKMT_WINE_ESCAPE_VERSION || escape->Reserved)
    {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    gpu = adapter->gpu;
    if (gpu->removed && escape->Command != D3DKMT_WINE_ESCAPE_QUERY_STATS)
    {
        status = STATUS_DEVICE_REMOVED;
        goto done;
    }
    pthread_mutex_lock(&gpu->lock);
    switch (escape->Command)
    {
    case D3DKMT_WINE_ESCAPE_QUERY_STATS:
        break;
    case D3DKMT_WINE_ESCAPE_PAUSE_PAGER:
        gpu->pager_paused = 1;
        break;
    case D3DKMT_WINE_ESCAPE_RESUME_PAGER:
        gpu->pager_paused = 0;
        pthread_cond_signal(&gpu->pager_wake);
        break;
    case D3DKMT_WINE_ESCAPE_WAIT_IDLE:
        if (gpu->pager_paused) status = STATUS_INVALID_PARAMETER;  /* would never return */
        else while (!list_empty(&gpu->jobs)) pthread_cond_wait(&gpu->paging_done, &gpu->lock);
        break;
    case D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET:
        if (escape->Value > gpu->local.size) status = STATUS_INVALID_PARAMETER;
        else
        {
            gpu->local_budget = escape->Value ? escape->Value & ~(VIDMM_PAGE_SIZE - 1) : gpu->local.size;
            gpu_trim_to_budget(mm, gpu);
        }
        break;
    case D3DKMT_WINE_ESCAPE_SET_APERTURES:
        if (escape->Value > 64) status = STATUS_INVALID_PARAMETER;
        else atomic_store(&gpu->apertures, (uint32_t)escape->Value);
        break;
    case D3DKMT_WINE_ESCAPE_REMOVE_ADAPTER:
        atomic_store(&gpu->removed, 1);
        break;
    default:
        status = STATUS_INVALID_PARAMETER;
        break;
    }
    pthread_mutex_unlock(&gpu->lock);
    if (!status) fill_escape_stats(mm, gpu, escape);

done:
    vidmm_put(mm, device);
    vidmm_put(mm, adapter);
    return status;
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
    {
        struct vidmm_gpu *gpu = adapter->gpu;

        pthread_mutex_lock(&gpu->lock);
        segment = args->group == VIDMM_SEGMENT_GROUP_LOCAL ? &gpu->local : &gpu->nonlocal;
        /* One process owns the whole segment, so its budget is the segment;
         * half of it may be reserved, as Windows typically reports. */
        args->budget = args->group == VIDMM_SEGMENT_GROUP_LOCAL ? gpu->local_budget : segment->size;
        args->usage = args->other_process ? 0 : segment->usage;
        args->reservation = 0;
        args->available_for_reservation = args->budget / 2;
        pthread_mutex_unlock(&gpu->lock);
    }
    vidmm_put(mm, adapter);
    return status;
}

void vidmm_get_stats(struct vidmm *mm, struct vidmm_stats *stats)
{
    struct vidmm_list *e;

    memset(stats, 0, sizeof(*stats));
    pthread_mutex_lock(&mm->objects_lock);
    stats->adapters = handle_table_count(&mm->table, VIDMM_OBJECT_ADAPTER);
    stats->devices = handle_table_count(&mm->table, VIDMM_OBJECT_DEVICE);
    stats->resources = handle_table_count(&mm->table, VIDMM_OBJECT_RESOURCE);
    stats->allocations = handle_table_count(&mm->table, VIDMM_OBJECT_ALLOCATION);
    pthread_mutex_lock(&mm->gpus_lock);
    for (e = mm->gpus.next; e != &mm->gpus; e = e->next)
    {
        struct vidmm_gpu *gpu = LIST_ENTRY(e, struct vidmm_gpu, entry);
        pthread_mutex_lock(&gpu->lock);
        stats->local_usage += gpu->local.usage;
        stats->nonlocal_usage += gpu->nonlocal.usage;
        stats->backing_bytes += gpu->backing_bytes;
        pthread_mutex_unlock(&gpu->lock);
    }
    pthread_mutex_unlock(&mm->gpus_lock);
    pthread_mutex_unlock(&mm->objects_lock);
}

static int first_entry(void *ctx, uint32_t handle, void *object)
{
    return 1;
}

void vidmm_destroy(struct vidmm *mm)
{
    struct vidmm_close_adapter_args args = {0};

    /* Close every adapter still open; that takes devices and their objects along. */
    while ((args.handle = handle_table_for_each(&mm->table, VIDMM_OBJECT_ADAPTER, first_entry, NULL)))
        vidmm_close_adapter(mm, &args);
    handle_table_cleanup(&mm->table);
    pthread_mutex_destroy(&mm->objects_lock);
    pthread_mutex_destroy(&mm->gpus_lock);
    vidmm_free(mm);
}
